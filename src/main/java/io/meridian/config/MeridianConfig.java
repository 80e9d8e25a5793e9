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
 * @param databases replicated databases whose primary Meridian moves (members are in the region files)
 * @param clients CIDR rules that place DNS clients in a region, for the latency policy
 * @param coordination how this daemon works with the daemons of the other regions
 * @param drills disaster-recovery drills that can be run by name
 */
public record MeridianConfig(
        String vantage,
        ApiConfig api,
        DnsConfig dns,
        List<ServiceConfig> services,
        List<RegionConfig> regions,
        List<HealthCheckConfig> checks,
        HealthSettings health,
        AutomationSettings automation,
        List<ClientRule> clients,
        List<DatabaseClusterConfig> databases,
        CoordinationConfig coordination,
        LoggingConfig logging,
        List<DrillConfig> drills) {

    public MeridianConfig {
        drills = List.copyOf(drills);
        databases = List.copyOf(databases);
        services = List.copyOf(services);
        regions = List.copyOf(regions);
        checks = List.copyOf(checks);
        clients = List.copyOf(clients);
    }

    public MeridianConfig(String vantage, ApiConfig api, DnsConfig dns, List<ServiceConfig> services, List<RegionConfig> regions,
                          List<HealthCheckConfig> checks, HealthSettings health, AutomationSettings automation, List<ClientRule> clients) {
        this(vantage, api, dns, services, regions, checks, health, automation, clients, List.of());
    }

    public MeridianConfig(String vantage, ApiConfig api, DnsConfig dns, List<ServiceConfig> services, List<RegionConfig> regions,
                          List<HealthCheckConfig> checks, HealthSettings health, AutomationSettings automation, List<ClientRule> clients,
                          List<DatabaseClusterConfig> databases) {
        this(vantage, api, dns, services, regions, checks, health, automation, clients, databases, CoordinationConfig.local());
    }

    public MeridianConfig(String vantage, ApiConfig api, DnsConfig dns, List<ServiceConfig> services, List<RegionConfig> regions,
                          List<HealthCheckConfig> checks, HealthSettings health, AutomationSettings automation, List<ClientRule> clients,
                          List<DatabaseClusterConfig> databases, CoordinationConfig coordination) {
        this(vantage, api, dns, services, regions, checks, health, automation, clients, databases, coordination, LoggingConfig.defaults());
    }

    public MeridianConfig(String vantage, ApiConfig api, DnsConfig dns, List<ServiceConfig> services, List<RegionConfig> regions,
                          List<HealthCheckConfig> checks, HealthSettings health, AutomationSettings automation, List<ClientRule> clients,
                          List<DatabaseClusterConfig> databases, CoordinationConfig coordination, LoggingConfig logging) {
        this(vantage, api, dns, services, regions, checks, health, automation, clients, databases, coordination, logging, List.of());
    }

    public Optional<DrillConfig> drill(String name) {
        return drills.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    public Optional<DatabaseClusterConfig> database(String name) {
        return databases.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The members of cluster {@code name}, from every region. */
    public List<DatabaseMember> members(String name) {
        return regions.stream().flatMap(r -> r.databases().stream()).filter(m -> m.cluster().equals(name)).toList();
    }

    public Optional<ServiceConfig> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    public Optional<RegionConfig> region(String name) {
        return regions.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public Map<String, HealthCheckConfig> checksByName() {
        return checks.stream().collect(Collectors.toUnmodifiableMap(HealthCheckConfig::name, Function.identity()));
    }
}
