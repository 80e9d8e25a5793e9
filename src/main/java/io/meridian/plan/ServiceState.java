package io.meridian.plan;

import io.meridian.policy.DesiredAnswers;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the planner remembers about one service.
 *
 * @param published     what resolvers get now (empty: nothing published yet)
 * @param failovers     when the recent automatic failovers were applied
 * @param cooldownUntil automatic failovers wait until then (empty: no cooldown, or acknowledged)
 */
public record ServiceState(Optional<DesiredAnswers> published, List<Instant> failovers, Optional<Instant> cooldownUntil) {

    public ServiceState {
        failovers = List.copyOf(failovers);
    }

    public static ServiceState initial() {
        return new ServiceState(Optional.empty(), List.of(), Optional.empty());
    }
}
