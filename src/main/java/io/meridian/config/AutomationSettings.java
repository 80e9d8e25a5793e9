package io.meridian.config;

import java.time.Duration;
import java.util.Optional;

/**
 * Limits on what automation may do on its own.
 *
 * @param maxFailovers   automatic failovers allowed per service within {@code failoverWindow}
 * @param cooldown       after an automatic failover, further ones wait this long (an operator may acknowledge early)
 * @param failbackAfter  a recovered region gets traffic back automatically only after being up this long;
 *                       empty means {@code manual}: never automatically
 * @param maxWeightStep  largest change of one region's weight per evaluation tick (removing a down region is immediate)
 * @param tick           how often the daemon re-evaluates even without new results (holds, staleness, weight steps)
 */
public record AutomationSettings(int maxFailovers, Duration failoverWindow, Duration cooldown,
                                 Optional<Duration> failbackAfter, int maxWeightStep, Duration tick) {

    public static AutomationSettings defaults() {
        return new AutomationSettings(3, Duration.ofHours(1), Duration.ofMinutes(5), Optional.of(Duration.ofMinutes(5)),
                25, Duration.ofSeconds(1));
    }
}
