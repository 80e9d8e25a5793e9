package io.meridian.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code meridian.yaml}: vantage, API, DNS zone and the services. */
final class DaemonFileParser {

    private static final Set<String> KEYS = Set.of("vantage", "api", "dns", "services", "health", "automation", "clients", "databases", "coordination", "logging",
            "drills");
    private static final Set<String> HEALTH_KEYS = Set.of("vantages", "quorum", "staleness", "partition-threshold",
            "min-hold", "latency-window", "ewma-alpha", "startup-wait");
    private static final Set<String> AUTOMATION_KEYS = Set.of("max-failovers", "failover-window", "cooldown", "failback",
            "max-weight-step", "tick");
    private static final Set<String> CLIENT_KEYS = Set.of("cidr", "region");
    private static final Set<String> API_KEYS = Set.of("listen", "tokens", "state-dir", "tls", "public-health", "limits", "journal");
    private static final Set<String> TLS_KEYS = Set.of("cert", "key");
    private static final Set<String> SERVICE_KEYS = Set.of("name", "policy", "ttl", "regions", "latency-tolerance",
            "min-regions-in-service", "load", "headroom");
    static final Duration MAX_TTL = Duration.ofDays(7);

    /** What was read; fields are empty where the file had a problem. */
    record Parsed(Optional<String> vantage, ApiConfig api, Optional<DnsConfig> dns, List<ServiceConfig> services,
                  HealthSettings health, AutomationSettings automation, List<ClientRule> clients,
                  List<DatabaseClusterConfig> databases, Map<String, MappingReader> databaseAt, Set<String> databaseNames,
                  CoordinationConfig coordination, LoggingConfig logging, List<DrillConfig> drills) {
    }

    private DaemonFileParser() {
    }

    /** @param dir the configuration directory: relative paths in meridian.yaml are resolved against it */
    static Parsed parse(MappingReader r, Set<String> regions, Path dir, List<ConfigProblem> problems) {
        r.allowOnly(KEYS);
        Optional<String> vantage = r.string("vantage", true);
        ApiConfig api = r.mapping("api", false).map(a -> api(a, dir, problems))
                .orElse(new ApiConfig(new HostPort("127.0.0.1", 8080)).withStateDir(dir));
        Optional<DnsConfig> dns = r.mapping("dns", true).flatMap(d -> DnsParser.dns(d, dir));
        List<ServiceConfig> services = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        int count = r.eachMapping("services", true, s -> service(s, regions, dns.map(DnsConfig::zone)).ifPresent(svc -> {
            Integer line = firstLine.putIfAbsent(svc.name(), s.self().line());
            if (dns.map(d -> d.glue().containsKey(svc.name())).orElse(false)) {
                s.problem(s.position("name"), s.field("name") + " '" + svc.name() + "' is also a nameserver of the zone (dns.nameservers)");
            } else if (line != null) {
                s.problem(s.position("name"), s.field("name") + " '" + svc.name() + "' is already defined on line " + line);
            } else {
                services.add(svc);
            }
        }));
        if (count == 0 && r.has("services")) {
            r.problem(r.position("services"), "services is empty but at least one service is needed");
        }
        HealthSettings health = r.mapping("health", false).map(h -> health(h, vantage.orElse("")))
                .orElse(HealthSettings.defaults(vantage.orElse("")));
        AutomationSettings automation = r.mapping("automation", false).map(DaemonFileParser::automation)
                .orElse(AutomationSettings.defaults());
        List<ClientRule> clients = new ArrayList<>();
        r.eachMapping("clients", false, c -> client(c, health.vantages()).ifPresent(clients::add));
        List<DatabaseClusterConfig> databases = new ArrayList<>();
        Map<String, MappingReader> databaseAt = new HashMap<>();
        // Every name written, valid cluster or not: a member of a cluster with a bad field is not reported a second time.
        Set<String> databaseNames = new java.util.TreeSet<>();
        r.eachMapping("databases", false, c -> DatabaseParser.cluster(c.peekInto("name", databaseNames), regions, dns.map(DnsConfig::zone)).ifPresent(db -> {
            if (databases.stream().anyMatch(o -> o.name().equals(db.name()))) {
                c.problem(c.position("name"), c.field("name") + " '" + db.name() + "' is already defined");
            } else {
                databases.add(db);
                databaseAt.put(db.name(), c);
            }
        }));
        CoordinationConfig coordination = r.mapping("coordination", false).map(c -> CoordinationParser.parse(c, dir))
                .orElse(CoordinationConfig.local());
        if (coordination.etcd() && health.vantages().size() < 2) {
            r.problem(r.position("coordination"), "coordination.type is etcd but health.vantages lists "
                    + health.vantages().size() + " vantage; list every daemon's vantage so the quorum counts them");
        }
        LoggingConfig logging = r.mapping("logging", false).map(LoggingParser::parse).orElse(LoggingConfig.defaults());
        List<DrillConfig> drills = new ArrayList<>();
        r.eachMapping("drills", false, dr -> DrillParser.parse(dr, regions, services, databaseNames).ifPresent(drill -> {
            if (drills.stream().anyMatch(o -> o.name().equals(drill.name()))) {
                dr.problem(dr.position("name"), dr.field("name") + " '" + drill.name() + "' is already defined");
            } else {
                drills.add(drill);
            }
        }));
        return new Parsed(vantage, api, dns, services, health, automation, clients, databases, databaseAt, databaseNames, coordination, logging,
                drills);
    }

    private static HealthSettings health(MappingReader h, String vantage) {
        h.allowOnly(HEALTH_KEYS);
        HealthSettings d = HealthSettings.defaults(vantage);
        List<String> vantages = new ArrayList<>();
        for (YamlNode item : h.list("vantages", false)) {
            String v = item instanceof YamlNode.Scalar s ? s.text() : "";
            if (!Names.isLabel(v) || vantages.contains(v)) {
                h.problem(item, h.field("vantages") + " entry " + item.kind() + " must be a distinct name (a DNS label)");
            } else {
                vantages.add(v);
            }
        }
        if (h.has("vantages") && !vantage.isEmpty() && !vantages.contains(vantage)) {
            h.problem(h.position("vantages"), h.field("vantages") + " must include this daemon's own vantage '" + vantage + "'");
        }
        if (vantages.isEmpty()) {
            vantages = d.vantages();
        }
        Quorum quorum = h.string("quorum", false).flatMap(q -> quorum(h, q)).orElse(d.quorum());
        if (quorum.kind() == Quorum.Kind.COUNT && quorum.count() > vantages.size()) {
            h.problem(h.position("quorum"), h.field("quorum") + " was " + quorum.count() + " but only "
                    + vantages.size() + " vantage(s) are configured");
        }
        return new HealthSettings(vantages, quorum,
                h.duration("staleness", false, Duration.ofMillis(100), Duration.ofHours(1)).orElse(d.staleness()),
                h.fraction("partition-threshold").orElse(d.partitionThreshold()),
                h.duration("min-hold", false, Duration.ZERO, Duration.ofHours(1)).orElse(d.minHold()),
                h.integer("latency-window", false, 1, 10_000).orElse(d.latencyWindow()),
                h.fraction("ewma-alpha").orElse(d.ewmaAlpha()),
                h.duration("startup-wait", false, Duration.ZERO, Duration.ofMinutes(10)).or(d::startupWait));
    }

    private static Optional<Quorum> quorum(MappingReader h, String q) {
        switch (q) {
            case "majority":
                return Optional.of(Quorum.majority());
            case "any":
                return Optional.of(new Quorum(Quorum.Kind.ANY, 0));
            case "all":
                return Optional.of(new Quorum(Quorum.Kind.ALL, 0));
            default:
                try {
                    int n = Integer.parseInt(q);
                    if (n >= 1) {
                        return Optional.of(new Quorum(Quorum.Kind.COUNT, n));
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
                h.problem(h.position("quorum"), h.field("quorum") + " was '" + q + "' but must be majority, any, all or a number >= 1");
                return Optional.empty();
        }
    }

    private static AutomationSettings automation(MappingReader a) {
        a.allowOnly(AUTOMATION_KEYS);
        AutomationSettings d = AutomationSettings.defaults();
        Optional<Duration> failback = d.failbackAfter();
        if (a.has("failback")) {
            failback = a.peek("failback").filter("manual"::equals).isPresent()
                    ? Optional.empty()
                    : a.duration("failback", false, Duration.ZERO, Duration.ofDays(7)).or(() -> d.failbackAfter());
        }
        return new AutomationSettings(
                a.integer("max-failovers", false, 0, 1000).orElse(d.maxFailovers()),
                a.duration("failover-window", false, Duration.ofSeconds(1), Duration.ofDays(7)).orElse(d.failoverWindow()),
                a.duration("cooldown", false, Duration.ZERO, Duration.ofDays(1)).orElse(d.cooldown()),
                failback,
                a.integer("max-weight-step", false, 1, 255).orElse(d.maxWeightStep()),
                a.duration("tick", false, Duration.ofMillis(50), Duration.ofMinutes(1)).orElse(d.tick()));
    }

    private static Optional<ClientRule> client(MappingReader c, List<String> vantages) {
        c.allowOnly(CLIENT_KEYS);
        Optional<String> region = c.string("region", true);
        region.filter(r -> !vantages.contains(r)).ifPresent(r -> c.problem(c.position("region"), c.field("region")
                + " was '" + r + "' but must be one of the vantages (" + String.join(", ", vantages) + ")"));
        Optional<ClientRule> rule = c.string("cidr", true).flatMap(text -> {
            String[] parts = text.split("/", 2);
            Optional<byte[]> network = parts.length == 2 ? IpLiteral.bytes(parts[0]) : Optional.empty();
            if (network.isPresent() && parts[1].matches("[0-9]{1,3}")) {
                int prefix = Integer.parseInt(parts[1]);
                if (prefix <= network.get().length * 8) {
                    return Optional.of(new ClientRule(text, network.get(), prefix, region.orElse("")));
                }
            }
            c.problem(c.position("cidr"), c.field("cidr") + " was '" + text + "' but must be ADDRESS/PREFIX such as 10.1.0.0/16");
            return Optional.empty();
        });
        return region.filter(vantages::contains).flatMap(r -> rule);
    }

    private static ApiConfig api(MappingReader a, Path dir, List<ConfigProblem> problems) {
        a.allowOnly(API_KEYS);
        HostPort listen = a.hostPort("listen", false).orElse(new HostPort("127.0.0.1", 8080));
        List<TokenConfig> tokens = a.path("tokens", false, dir).map(f -> TokensFile.read(f, a.peek("tokens").orElse(f.toString()), problems)).orElse(List.of());
        Path state = a.path("state-dir", false, dir).orElse(dir);
        Optional<ApiConfig.TlsConfig> tls = a.mapping("tls", false).flatMap(t -> {
            t.allowOnly(TLS_KEYS);
            Optional<Path> cert = t.path("cert", true, dir);
            Optional<Path> key = t.path("key", true, dir);
            cert.filter(p -> !Files.isReadable(p)).ifPresent(p -> t.problem(t.position("cert"), t.field("cert") + " file " + p + " cannot be read"));
            key.filter(p -> !Files.isReadable(p)).ifPresent(p -> t.problem(t.position("key"), t.field("key") + " file " + p + " cannot be read"));
            return cert.isPresent() && key.isPresent() ? Optional.of(new ApiConfig.TlsConfig(cert.get(), key.get())) : Optional.empty();
        });
        ConnectionLimits limits = a.mapping("limits", false).map(l -> limits(l, ConnectionLimits.apiDefaults(), false))
                .orElse(ConnectionLimits.apiDefaults());
        JournalSettings d = JournalSettings.defaults();
        JournalSettings journal = a.mapping("journal", false).map(j -> {
            j.allowOnly(Set.of("max-size", "max-age", "keep"));
            return new JournalSettings(j.bytes("max-size", false, 4096, 1L << 40).orElse(d.maxBytes()),
                    j.duration("max-age", false, Duration.ofMinutes(1), Duration.ofDays(3650)).orElse(d.maxAge()),
                    j.integer("keep", false, 1, 100_000).orElse(d.keep()));
        }).orElse(d);
        return new ApiConfig(listen, tokens, state, tls, a.bool("public-health").orElse(true), limits, journal);
    }

    /**
     * {@code dns.tcp} and {@code api.limits}: the same bounds on inbound connections; the time to receive
     * one whole message is {@code message-timeout} for DNS and {@code request-timeout} for the API.
     */
    static ConnectionLimits limits(MappingReader l, ConnectionLimits defaults, boolean dns) {
        String timeoutKey = dns ? "message-timeout" : "request-timeout";
        l.allowOnly(dns ? Set.of("max-connections", "max-connections-per-source", "idle-timeout", timeoutKey, "max-queries-per-connection")
                : Set.of("max-connections", "max-connections-per-source", "idle-timeout", timeoutKey));
        int max = l.integer("max-connections", false, 1, 100_000).orElse(defaults.maxConnections());
        int perSource = l.integer("max-connections-per-source", false, 1, 100_000).orElse(Math.min(max, defaults.maxPerSource()));
        if (perSource > max) {
            l.problem(l.position("max-connections-per-source"), l.field("max-connections-per-source") + " was " + perSource
                    + " but must be at most max-connections (" + max + ")");
        }
        Duration idle = l.duration("idle-timeout", false, Duration.ofMillis(100), Duration.ofHours(1)).orElse(defaults.idleTimeout());
        Duration message = l.duration(timeoutKey, false, Duration.ofMillis(100), Duration.ofMinutes(10)).orElse(defaults.messageTimeout());
        int requests = dns ? l.integer("max-queries-per-connection", false, 0, 1_000_000).orElse(defaults.maxRequests()) : 0;
        return new ConnectionLimits(max, Math.min(perSource, max), idle, message, requests);
    }

    static Optional<String> domainName(MappingReader m, String key) {
        return m.string(key, false).flatMap(v -> {
            if (Names.isDomainName(v)) {
                return Optional.of(Names.normalize(v));
            }
            m.problem(m.position(key), m.field(key) + " was '" + v + "' but must be a domain name");
            return Optional.empty();
        });
    }

    private static Optional<ServiceConfig> service(MappingReader s, Set<String> knownRegions, Optional<String> zone) {
        s.allowOnly(SERVICE_KEYS);
        Optional<String> name = domainName(s, "name");
        if (!s.has("name")) {
            s.string("name", true);
        }
        name.ifPresent(n -> zone.filter(z -> !Names.isInZone(n, z)).ifPresent(z -> s.problem(s.position("name"),
                s.field("name") + " was '" + n + "' but must be inside the zone " + z)));
        Optional<PolicyType> policy = s.string("policy", true).flatMap(p -> {
            for (PolicyType t : PolicyType.values()) {
                if (t.yamlName().equals(p)) {
                    return Optional.of(t);
                }
            }
            s.problem(s.position("policy"), s.field("policy") + " was '" + p + "' but must be one of: failover, weighted, latency");
            return Optional.empty();
        });
        Duration ttl = s.duration("ttl", false, Duration.ZERO, MAX_TTL).orElse(Duration.ofSeconds(30));
        if (ttl.toMillis() % 1000 != 0) {
            s.problem(s.position("ttl"), s.field("ttl") + " was " + Durations.format(ttl) + " but DNS TTLs are whole seconds");
        }
        Set<String> regions = new LinkedHashSet<>();
        List<YamlNode> items = s.list("regions", true);
        if (items.isEmpty() && s.has("regions")) {
            s.problem(s.position("regions"), s.field("regions") + " is empty but a service needs at least one region");
        }
        for (YamlNode item : items) {
            String region = item instanceof YamlNode.Scalar sc ? sc.text() : "";
            if (!knownRegions.contains(region)) {
                s.problem(item, s.field("regions") + " names " + item.kind() + " but no region has that name (known: "
                        + String.join(", ", knownRegions.stream().sorted().toList()) + ")");
            } else if (!regions.add(region)) {
                s.problem(item, s.field("regions") + " lists '" + region + "' twice");
            }
        }
        Duration tolerance = s.duration("latency-tolerance", false, Duration.ZERO, Duration.ofSeconds(10)).orElse(Duration.ofMillis(20));
        int minInService = s.integer("min-regions-in-service", false, 1, 100).orElse(1);
        if (minInService > 1 && policy.filter(p -> p == PolicyType.FAILOVER).isPresent()) {
            s.problem(s.position("min-regions-in-service"), s.field("min-regions-in-service") + " was " + minInService
                    + " but a failover service answers from one region at a time (use weighted or latency)");
        } else if (minInService > Math.max(1, regions.size())) {
            s.problem(s.position("min-regions-in-service"), s.field("min-regions-in-service") + " was " + minInService
                    + " but the service spans only " + regions.size() + " region(s)");
        }
        Optional<ServiceLoad> load = LoadParser.parse(s, policy, regions);
        if (name.isEmpty() || policy.isEmpty() || regions.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ServiceConfig(name.get(), policy.get(), ttl, List.copyOf(regions), tolerance, minInService, load));
    }
}
