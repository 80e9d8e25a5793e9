package io.meridian.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A DNS name Meridian answers for, the policy that picks its answers and the regions it spans.
 *
 * @param latencyTolerance    latency policy: keep the current region unless another is faster by more than this
 * @param minRegionsInService safety assertion: automation never leaves fewer regions than this in the answers
 * @param load                the load it expects: failover and weighted place it within the regions' capacity
 */
public record ServiceConfig(String name, PolicyType policy, Duration ttl, List<String> regions,
                            Duration latencyTolerance, int minRegionsInService, Optional<ServiceLoad> load) {

    public ServiceConfig(String name, PolicyType policy, Duration ttl, List<String> regions) {
        this(name, policy, ttl, regions, Duration.ofMillis(20), 1);
    }

    public ServiceConfig(String name, PolicyType policy, Duration ttl, List<String> regions, Duration latencyTolerance,
                         int minRegionsInService) {
        this(name, policy, ttl, regions, latencyTolerance, minRegionsInService, Optional.empty());
    }

    public ServiceConfig {
        regions = List.copyOf(regions);
    }
}
