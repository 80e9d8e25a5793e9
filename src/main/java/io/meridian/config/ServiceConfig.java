package io.meridian.config;

import java.time.Duration;
import java.util.List;

/** A DNS name Meridian answers for, the policy that picks its answers and the regions it spans. */
public record ServiceConfig(String name, PolicyType policy, Duration ttl, List<String> regions) {

    public ServiceConfig {
        regions = List.copyOf(regions);
    }
}
