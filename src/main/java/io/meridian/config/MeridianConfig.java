package io.meridian.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A whole, valid configuration directory: {@code meridian.yaml} plus every region and health check.
 * Only {@link ConfigLoader} builds one, after validation passed.
 *
 * @param vantage the name of the place this daemon probes from (usually its own region)
 */
public record MeridianConfig(
        String vantage,
        ApiConfig api,
        DnsConfig dns,
        List<ServiceConfig> services,
        List<RegionConfig> regions,
        List<HealthCheckConfig> checks) {

    public MeridianConfig {
        services = List.copyOf(services);
        regions = List.copyOf(regions);
        checks = List.copyOf(checks);
    }

    public Optional<RegionConfig> region(String name) {
        return regions.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public Map<String, HealthCheckConfig> checksByName() {
        return checks.stream().collect(Collectors.toUnmodifiableMap(HealthCheckConfig::name, Function.identity()));
    }
}
