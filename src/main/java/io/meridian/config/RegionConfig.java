package io.meridian.config;

import java.util.List;
import java.util.Optional;

/**
 * One {@code regions/NAME.yaml}.
 *
 * @param priority      failover order: 1 is tried first, then 2, ...
 * @param weight        share of answers under the weighted policy (0 = none unless all are 0)
 * @param databases     database members in this region (their clusters are defined in meridian.yaml)
 * @param minUpFraction the region is up when at least one endpoint is up and at least this
 *                      fraction of its endpoints is up (0 = any one endpoint)
 * @param capacity      the load it can carry of each service that declares one (absent: no limit)
 * @param capacityReport where it reports the capacity it has now (needs {@code capacity}: that bounds a report)
 * @param scaleHook     how to ask it to scale up before a planned shift towards it
 */
public record RegionConfig(String name, int priority, int weight, double minUpFraction, List<EndpointConfig> endpoints,
                           List<DatabaseMember> databases, Optional<Double> capacity, Optional<CapacityReportConfig> capacityReport,
                           Optional<ScaleHookConfig> scaleHook) {

    public RegionConfig {
        endpoints = List.copyOf(endpoints);
        databases = List.copyOf(databases);
    }

    public RegionConfig(String name, int priority, int weight, double minUpFraction, List<EndpointConfig> endpoints) {
        this(name, priority, weight, minUpFraction, endpoints, List.of());
    }

    public RegionConfig(String name, int priority, int weight, double minUpFraction, List<EndpointConfig> endpoints,
                        List<DatabaseMember> databases) {
        this(name, priority, weight, minUpFraction, endpoints, databases, Optional.empty());
    }

    public RegionConfig(String name, int priority, int weight, double minUpFraction, List<EndpointConfig> endpoints,
                        List<DatabaseMember> databases, Optional<Double> capacity) {
        this(name, priority, weight, minUpFraction, endpoints, databases, capacity, Optional.empty(), Optional.empty());
    }
}
