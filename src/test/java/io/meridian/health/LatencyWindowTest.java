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

    @Test
    void theRegionsQuantilesAreThoseOfTheSortedSamplesWhateverTheirOrderAndRepeats() {
        for (long seed = 1; seed <= 300; seed++) {
            java.util.Random rnd = new java.util.Random(seed);
            LatencyWindow[] windows = new LatencyWindow[1 + rnd.nextInt(20)];
            java.util.List<Float> all = new java.util.ArrayList<>();
            for (int i = 0; i < windows.length; i++) {
                if (rnd.nextInt(5) == 0) {
                    continue; // a target with no window yet
                }
                windows[i] = new LatencyWindow(1 + rnd.nextInt(50), 0.3);
                int samples = rnd.nextInt(80);
                for (int s = 0; s < samples; s++) {
                    double v = rnd.nextInt(3) == 0 ? rnd.nextInt(4) : rnd.nextDouble() * 500; // many repeats, and spread
                    windows[i].record(v);
                }
            }
            for (LatencyWindow w : windows) {
                if (w != null) {
                    for (int s = 0; s < w.count(); s++) {
                        all.add(w.sample(s));
                    }
                }
            }
            java.util.Collections.sort(all);
            double[] qs = {0.95, 0.5, 0.0, 1.0, rnd.nextDouble()};
            double[] got = LatencyWindow.percentiles(windows, qs);
            for (int k = 0; k < qs.length; k++) {
                double want = all.isEmpty() ? Double.NaN : all.get(Math.max(0, Math.min(all.size() - 1, (int) Math.ceil(qs[k] * all.size()) - 1)));
                assertThat(Double.valueOf(got[k])).as("seed %d q %s", seed, qs[k]).isEqualTo(Double.valueOf(want)); // NaN when empty
            }
        }
    }
}
