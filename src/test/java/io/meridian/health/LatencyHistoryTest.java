package io.meridian.health;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LatencyHistoryTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void eachBucketKeepsTheMedianAndP95OfItsSamplesForAnHour() {
        LatencyHistory h = new LatencyHistory();
        for (int ms = 1; ms <= 10; ms++) {
            h.record("t", "us-east", Duration.ofMillis(ms), T0.plusMillis(ms * 100L)); // one bucket
        }
        h.record("t", "us-east", Duration.ofMillis(50), T0.plusSeconds(LatencyHistory.BUCKET_SECONDS)); // the next
        Instant now = T0.plusSeconds(6);
        LatencyHistory.Points p = h.points("t", "us-east", now);
        int last = LatencyHistory.BUCKETS - 1;
        assertThat(p.from()).isEqualTo(T0.plusSeconds(LatencyHistory.BUCKET_SECONDS).minusSeconds((long) last * LatencyHistory.BUCKET_SECONDS));
        assertThat(p.p50()[last - 1]).isEqualTo(5.0);
        assertThat(p.p95()[last - 1]).isEqualTo(10.0);
        assertThat(p.p50()[last]).as("the bucket being filled").isEqualTo(50.0);
        assertThat(p.p50()[last - 2]).isNaN();
        assertThat(java.util.Arrays.stream(h.points("t", "eu-west", now).p50()).allMatch(Double::isNaN)).isTrue();

        LatencyHistory.Points later = h.points("t", "us-east", now.plus(Duration.ofHours(1)));
        assertThat(java.util.Arrays.stream(later.p50()).allMatch(Double::isNaN)).as("an hour on, all of it has aged out").isTrue();
        h.forget("t");
        assertThat(h.size()).isZero();
    }

    @Test
    void aCopyKeepsWhatTheSeriesHeldWhenItWasTaken() {
        LatencyHistory h = new LatencyHistory();
        h.record("t", "us-east", Duration.ofMillis(20), T0);
        LatencyHistory.Copy copy = h.copy("t", "us-east");
        h.record("t", "us-east", Duration.ofMillis(90), T0.plusSeconds(LatencyHistory.BUCKET_SECONDS)); // closes the first bucket, opens one
        Instant now = T0.plusSeconds(LatencyHistory.BUCKET_SECONDS);
        int last = LatencyHistory.BUCKETS - 1;
        assertThat(copy.points(now).p50()[last - 1]).isEqualTo(20.0);
        assertThat(copy.points(now).p50()[last]).as("measured after the copy").isNaN();
        assertThat(h.points("t", "us-east", now).p50()[last]).isEqualTo(90.0);
        assertThat(h.copy("t", "eu-west").points(now).p50()).as("never measured").containsOnly(Double.NaN);
    }
}
