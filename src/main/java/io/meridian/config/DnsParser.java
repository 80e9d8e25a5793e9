package io.meridian.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code dns} section of {@code meridian.yaml}: zone, listen address, SOA, nameservers, TCP bounds, RFC 2136, Route 53. */
final class DnsParser {

    private static final Set<String> DNS_KEYS = Set.of("zone", "listen", "soa", "nameservers", "rate-limit", "udp-threads", "rfc2136", "route53", "tcp");
    private static final Set<String> SOA_KEYS = Set.of("mname", "rname", "refresh", "retry", "expire", "minimum", "ttl");

    private DnsParser() {
    }

    /** @param dir the configuration directory: the TSIG key file's path is resolved against it */
    static Optional<DnsConfig> dns(MappingReader d, Path dir) {
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
        SoaConfig soa = d.mapping("soa", false).map(s -> soa(s, z)).orElse(SoaConfig.defaults(z));
        List<String> ns = new ArrayList<>();
        Map<String, List<String>> glue = new java.util.LinkedHashMap<>();
        List<YamlNode> nsItems = d.list("nameservers", false);
        for (int i = 0; i < nsItems.size(); i++) {
            nameserver(d, nsItems.get(i), d.field("nameservers") + "[" + i + "]", zone).ifPresent(n -> {
                ns.add(n.getKey());
                if (!n.getValue().isEmpty()) {
                    glue.put(n.getKey(), n.getValue());
                }
            });
        }
        int rateLimit = d.integer("rate-limit", false, 0, 10_000_000).orElse(0);
        int udpThreads = d.integer("udp-threads", false, 1, 256).orElse(0);
        Optional<DnsConfig.Rfc2136Config> rfc2136 = d.mapping("rfc2136", false).flatMap(u -> {
            u.allowOnly(Set.of("server", "key-file", "reconcile", "mode"));
            Duration reconcile = u.duration("reconcile", false, Duration.ZERO, Duration.ofHours(1)).orElse(Duration.ofSeconds(30));
            boolean repair = repairMode(u);
            Optional<HostPort> server = u.hostPort("server", true);
            Optional<Path> file = u.path("key-file", true, dir);
            Optional<TsigKeyFile.TsigKey> key = file.flatMap(k -> {
                try {
                    return Optional.of(TsigKeyFile.read(k));
                } catch (java.io.IOException e) {
                    u.problem(u.position("key-file"), u.field("key-file") + ": " + e.getMessage());
                    return Optional.empty();
                }
            });
            return server.isPresent() && key.isPresent()
                    ? Optional.of(new DnsConfig.Rfc2136Config(server.get(), file.get(), key.get(), reconcile, repair)) : Optional.empty();
        });
        Optional<Route53Config> route53 = d.mapping("route53", false).flatMap(DnsParser::route53);
        ConnectionLimits tcp = d.mapping("tcp", false).map(t -> DaemonFileParser.limits(t, ConnectionLimits.dnsDefaults(), true))
                .orElse(ConnectionLimits.dnsDefaults());
        return zone.map(name -> new DnsConfig(name, listen, soa, ns.isEmpty() ? List.of(soa.mname()) : ns, rateLimit, rfc2136, route53, tcp,
                glue, udpThreads));
    }

    /**
     * One entry of {@code dns.nameservers}: a name, or {@code {name: ..., addresses: [...]}} for a nameserver
     * inside the zone, whose addresses (glue) the server then answers for its name and adds to NS answers.
     */
    private static Optional<Map.Entry<String, List<String>>> nameserver(MappingReader d, YamlNode item, String path, Optional<String> zone) {
        if (item instanceof YamlNode.Scalar sc && Names.isDomainName(sc.text())) {
            return Optional.of(Map.entry(Names.normalize(sc.text()), List.of()));
        }
        Optional<MappingReader> m = d.nested(item, path);
        if (m.isEmpty()) {
            d.problem(item, d.field("nameservers") + " entry " + item.kind() + " must be a domain name or {name: NAME, addresses: [ADDRESS, ...]}");
            return Optional.empty();
        }
        MappingReader r = m.get();
        r.allowOnly(Set.of("name", "addresses"));
        Optional<String> name = r.string("name", true).filter(n -> {
            boolean ok = Names.isDomainName(n) && zone.map(z -> Names.isInZone(Names.normalize(n), z)).orElse(true);
            if (!ok) {
                r.problem(r.position("name"), r.field("name") + " was '" + n + "' but must be a domain name inside the zone (only its own nameservers get glue)");
            }
            return ok;
        }).map(Names::normalize);
        List<String> addresses = new ArrayList<>();
        for (YamlNode a : r.list("addresses", true)) {
            String v = a instanceof YamlNode.Scalar sc ? sc.text() : "";
            if (IpLiteral.isLiteral(v)) {
                addresses.add(v);
            } else {
                r.problem(a, r.field("addresses") + " entry " + a.kind() + " must be an IPv4 or IPv6 address");
            }
        }
        return name.map(n -> Map.entry(n, List.copyOf(addresses)));
    }

    /** {@code mode: repair} (the default) puts hand edits back; {@code observe} only reports them. */
    private static boolean repairMode(MappingReader u) {
        return u.string("mode", false).map(m -> {
            if (!m.equals("repair") && !m.equals("observe")) {
                u.problem(u.position("mode"), u.field("mode") + " was '" + m + "' but must be repair or observe");
            }
            return !m.equals("observe");
        }).orElse(true);
    }

    private static Optional<Route53Config> route53(MappingReader r) {
        r.allowOnly(Set.of("hosted-zone-id", "endpoint", "signing-region", "owner-prefix", "records", "requests-per-second",
                "sync-poll", "sync-timeout", "reconcile", "mode"));
        Optional<String> zoneId = r.string("hosted-zone-id", true).filter(id -> {
            boolean ok = id.matches("[A-Z0-9]{1,32}");
            if (!ok) {
                r.problem(r.position("hosted-zone-id"), r.field("hosted-zone-id") + " was '" + id + "' but must be a hosted zone id like Z0123456789ABC");
            }
            return ok;
        });
        Optional<java.net.URI> endpoint = r.string("endpoint", false).flatMap(e -> {
            try {
                java.net.URI uri = new java.net.URI(e);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                    return Optional.of(uri);
                }
            } catch (java.net.URISyntaxException ignored) {
                // reported below
            }
            r.problem(r.position("endpoint"), r.field("endpoint") + " was '" + e + "' but must be an http(s) URL");
            return Optional.empty();
        });
        String region = r.string("signing-region", false).orElse("us-east-1");
        String prefix = r.string("owner-prefix", false).orElse("meridian-");
        if (prefix.isEmpty() || prefix.length() > 64) {
            r.problem(r.position("owner-prefix"), r.field("owner-prefix") + " was '" + prefix + "' but must be 1-64 characters");
        }
        Route53Config.Style style = r.string("records", false).map(v -> switch (v) {
            case "weighted" -> Route53Config.Style.WEIGHTED;
            case "failover" -> Route53Config.Style.FAILOVER;
            default -> {
                r.problem(r.position("records"), r.field("records") + " was '" + v + "' but must be weighted or failover");
                yield Route53Config.Style.WEIGHTED;
            }
        }).orElse(Route53Config.Style.WEIGHTED);
        // Route 53 allows 5 requests per second per account; more only earns Throttling.
        int rate = r.integer("requests-per-second", false, 1, 5).orElse(5);
        Duration poll = r.duration("sync-poll", false, Duration.ofMillis(10), Duration.ofMinutes(1)).orElse(Duration.ofSeconds(2));
        Duration timeout = r.duration("sync-timeout", false, Duration.ofSeconds(1), Duration.ofHours(1)).orElse(Duration.ofMinutes(5));
        Duration reconcile = r.duration("reconcile", false, Duration.ZERO, Duration.ofHours(1)).orElse(Duration.ofSeconds(60));
        boolean repair = repairMode(r);
        return zoneId.map(id -> new Route53Config(id, endpoint, region, prefix, style, rate, poll, timeout, reconcile, repair));
    }

    private static SoaConfig soa(MappingReader s, String zone) {
        s.allowOnly(SOA_KEYS);
        SoaConfig d = SoaConfig.defaults(zone);
        return new SoaConfig(
                DaemonFileParser.domainName(s, "mname").orElse(d.mname()),
                DaemonFileParser.domainName(s, "rname").orElse(d.rname()),
                s.duration("refresh", false, Duration.ofSeconds(1), Duration.ofDays(30)).orElse(d.refresh()),
                s.duration("retry", false, Duration.ofSeconds(1), Duration.ofDays(30)).orElse(d.retry()),
                s.duration("expire", false, Duration.ofSeconds(1), Duration.ofDays(365)).orElse(d.expire()),
                s.duration("minimum", false, Duration.ZERO, Duration.ofDays(1)).orElse(d.minimum()),
                s.duration("ttl", false, Duration.ZERO, DaemonFileParser.MAX_TTL).orElse(d.ttl()));
    }
}
