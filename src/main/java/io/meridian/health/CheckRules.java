package io.meridian.health;

import java.time.Duration;
import java.util.Optional;

/**
 * The hysteresis of one check: results in a row needed to change state, and the latency rules.
 *
 * @param latencyThreshold slower than this counts as slow; empty means latency never degrades the target
 * @param latencyFall      slow results in a row to become degraded
 * @param latencyRise      fast results in a row to stop being degraded
 */
public record CheckRules(int rise, int fall, Optional<Duration> latencyThreshold, int latencyRise, int latencyFall) {

    public static CheckRules of(int rise, int fall) {
        return new CheckRules(rise, fall, Optional.empty(), 1, 1);
    }
}
