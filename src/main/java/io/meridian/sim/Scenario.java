package io.meridian.sim;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A timeline to replay. Times are offsets from the start.
 *
 * @param world    what the targets look like, from which vantages, from when on
 * @param operator operator commands: {@code drain REGION [SERVICE]}, {@code undrain ...}, {@code pause [SERVICE]},
 *                 {@code resume [SERVICE]}, {@code ack SERVICE}
 * @param expect   what the published answers must be at given times
 */
public record Scenario(String description, Duration duration, List<WorldChange> world, List<OperatorStep> operator,
                       List<Expectation> expect) {

    /**
     * From {@code at} on, the matching targets look {@code ok} (or not) with {@code latency} to the matching vantages.
     * Empty selectors match everything.
     */
    public record WorldChange(Duration at, Optional<String> region, Optional<String> target, Optional<String> vantage,
                              boolean ok, String reason, Duration latency) {
    }

    public record OperatorStep(Duration at, String command) {
    }

    /**
     * @param regions  the regions that must get traffic (the answer set labels; {@code *} for fail-open)
     * @param failOpen whether the answer must be (or must not be) fail-open
     * @param weights  the weight each answer set must have, by label (every set named)
     */
    public record Expectation(Duration at, String service, Optional<List<String>> regions, Optional<Boolean> failOpen,
                              Optional<java.util.Map<String, Integer>> weights) {

        public Expectation(Duration at, String service, Optional<List<String>> regions, Optional<Boolean> failOpen) {
            this(at, service, regions, failOpen, Optional.empty());
        }
    }
}
