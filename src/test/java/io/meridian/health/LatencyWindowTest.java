package io.meridian.health;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyWindowTest {

    @Test
    void keepsAnEwmaAndNearestRankPercentilesOfTheLastSamples() {
        LatencyWindow w = new LatencyWindow(10, 0.5);
        assertThat(w.ewmaMillis()).isNaN();
        assertThat(w.percentile(0.5)).isNaN();
        w.record(10);
        w.record(20);
        assertThat(w.ewmaMillis()).isCloseTo(15, within(1e-9));
        for (int i = 1; i <= 100; i++) {
            w.record(i);
        }
        assertThat(w.percentile(0.5)).as("window holds 91..100").isEqualTo(95);
        assertThat(w.percentile(0.95)).isEqualTo(100);
    }
}
