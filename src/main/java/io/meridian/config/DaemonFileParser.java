package io.meridian.config;

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

    private static final Set<String> KEYS = Set.of("vantage", "api", "dns", "services");
    private static final Set<String> API_KEYS = Set.of("listen");
    private static final Set<String> DNS_KEYS = Set.of("zone", "listen", "soa");
    private static final Set<String> SOA_KEYS = Set.of("mname", "rname", "refresh", "retry", "expire", "minimum", "ttl");
    private static final Set<String> SERVICE_KEYS = Set.of("name", "policy", "ttl", "regions");
    private static final Duration MAX_TTL = Duration.ofDays(7);

    /** What was read; fields are empty where the file had a problem. */
    record Parsed(Optional<String> vantage, ApiConfig api, Optional<DnsConfig> dns, List<ServiceConfig> services) {
    }

    private DaemonFileParser() {
    }

    static Parsed parse(MappingReader r, Set<String> regions) {
        r.allowOnly(KEYS);
        Optional<String> vantage = r.string("vantage", true);
        ApiConfig api = new ApiConfig(r.mapping("api", false).flatMap(a -> {
            a.allowOnly(API_KEYS);
            return a.hostPort("listen", false);
        }).orElse(new HostPort("127.0.0.1", 8080)));
        Optional<DnsConfig> dns = r.mapping("dns", true).flatMap(DaemonFileParser::dns);
        List<ServiceConfig> services = new ArrayList<>();
        Map<String, Integer> firstLine = new HashMap<>();
        int count = r.eachMapping("services", true, s -> service(s, regions, dns.map(DnsConfig::zone)).ifPresent(svc -> {
            Integer line = firstLine.putIfAbsent(svc.name(), s.self().line());
            if (line != null) {
                s.problem(s.position("name"), s.field("name") + " '" + svc.name() + "' is already defined on line " + line);
            } else {
                services.add(svc);
            }
        }));
        if (count == 0 && r.has("services")) {
            r.problem(r.position("services"), "services is empty but at least one service is needed");
        }
        return new Parsed(vantage, api, dns, services);
    }

    private static Optional<DnsConfig> dns(MappingReader d) {
        d.allowOnly(DNS_KEYS);
        Optional<String> zone = d.string("zone", true).flatMap(z -> {
            if (Names.isDomainName(z)) {
                return Optional.of(Names.normalize(z));
            }
            d.problem(d.position("zone"), d.field("zone") + " was '" + z + "' but must be a domain name");
            return Optional.empty();
        });
        HostPort listen = d.hostPort("listen", false).orElse(new HostPort("127.0.0.1", 5353));
        String z = zone.orElse("invalid");
        SoaConfig soa = d.mapping("soa", false).map(s -> soa(s, z)).orElse(defaultSoa(z));
        return zone.map(name -> new DnsConfig(name, listen, soa));
    }

    private static SoaConfig defaultSoa(String zone) {
        return new SoaConfig("ns1." + zone, "hostmaster." + zone, Duration.ofHours(1), Duration.ofMinutes(10),
                Duration.ofDays(14), Duration.ofSeconds(30), Duration.ofHours(1));
    }

    private static SoaConfig soa(MappingReader s, String zone) {
        s.allowOnly(SOA_KEYS);
        SoaConfig d = defaultSoa(zone);
        return new SoaConfig(
                domainName(s, "mname").orElse(d.mname()),
                domainName(s, "rname").orElse(d.rname()),
                s.duration("refresh", false, Duration.ofSeconds(1), Duration.ofDays(30)).orElse(d.refresh()),
                s.duration("retry", false, Duration.ofSeconds(1), Duration.ofDays(30)).orElse(d.retry()),
                s.duration("expire", false, Duration.ofSeconds(1), Duration.ofDays(365)).orElse(d.expire()),
                s.duration("minimum", false, Duration.ZERO, Duration.ofDays(1)).orElse(d.minimum()),
                s.duration("ttl", false, Duration.ZERO, MAX_TTL).orElse(d.ttl()));
    }

    private static Optional<String> domainName(MappingReader m, String key) {
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
            s.problem(s.position("policy"), s.field("policy") + " was '" + p + "' but must be one of: failover, weighted");
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
        if (name.isEmpty() || policy.isEmpty() || regions.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ServiceConfig(name.get(), policy.get(), ttl, List.copyOf(regions)));
    }
}
