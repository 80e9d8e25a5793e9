package io.meridian.dns.embedded;

import io.meridian.clock.ManualClock;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimiterTest {

    @Test
    void allowsNPerSecondPerSourceAndStartsAfreshEachSecond() throws Exception {
        ManualClock clock = ManualClock.startingAt("2030-01-01T00:00:00Z");
        RateLimiter limiter = new RateLimiter(3, clock);
        InetAddress a = InetAddress.getByName("127.0.0.1");
        InetAddress b = InetAddress.getByName("127.0.0.2");
        assertThat(limiter.allow(a)).isTrue();
        assertThat(limiter.allow(a)).isTrue();
        assertThat(limiter.allow(a)).isTrue();
        assertThat(limiter.allow(a)).as("fourth in the same second").isFalse();
        assertThat(limiter.allow(b)).as("another source has its own budget").isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(limiter.allow(a)).isTrue();
    }

    @Test
    void isOffAtZero() {
        assertThat(new RateLimiter(0, ManualClock.startingAt("2030-01-01T00:00:00Z")).enabled()).isFalse();
    }
}
