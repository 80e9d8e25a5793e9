package io.meridian.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads database members (in region files) and database clusters (in {@code meridian.yaml}). */
final class DatabaseParser {

    static final Set<String> MEMBER_KEYS = Set.of("cluster", "host", "port", "user", "password-file", "password-env", "database");
    static final Set<String> CLUSTER_KEYS = Set.of("name", "kind", "write-name", "ttl", "rpo-bytes", "rpo-lag", "automatic",
            "candidates", "cross-region", "interval", "timeout", "rise", "fall", "fence-command", "fence-timeout",
            "promote-unfenced", "cooldown", "catch-up-timeout");

    /** A member and where it was declared, to check its cluster once {@code meridian.yaml} is read. */
    record Placed(DatabaseMember member, MappingReader at) {
    }

    private DatabaseParser() {
    }

    static Optional<DatabaseMember> member(MappingReader e, String region, Path dir) {
        e.allowOnly(MEMBER_KEYS);
        Optional<String> cluster = e.string("cluster", true);
        Optional<String> host = e.ipAddress("host", true);
        Optional<Integer> port = e.integer("port", true, 1, 65535);
        String user = e.string("user", false).orElse("");
        String database = e.string("database", false).orElse("postgres");
        Secret password = Secret.NONE;
        if (e.has("password-file") && e.has("password-env")) {
            e.problem(e.position("password-env"), e.field("password-env") + " and password-file are both set but only one may be");
        } else if (e.has("password-file")) {
            Optional<Path> file = e.path("password-file", true, dir);
            if (file.isPresent()) {
                Path p = file.get();
                String named = e.peek("password-file").orElse("");
                try {
                    password = new Secret(Files.readString(p).strip(), "file " + named);
                } catch (IOException ex) {
                    e.problem(e.position("password-file"), e.field("password-file") + " was '" + named + "' but cannot be read: "
                            + ex.getClass().getSimpleName());
                }
            }
        } else if (e.has("password-env")) {
            Optional<String> env = e.string("password-env", true);
            if (env.isPresent()) {
                String value = System.getenv(env.get());
                if (value == null) {
                    e.problem(e.position("password-env"), e.field("password-env") + " names '" + env.get() + "' but that environment variable is not set");
                } else {
                    password = new Secret(value, "environment variable " + env.get());
                }
            }
        }
        if (cluster.isEmpty() || host.isEmpty() || port.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DatabaseMember(cluster.get(), region, host.get(), port.get(), user, password, database));
    }

    static Optional<DatabaseClusterConfig> cluster(MappingReader c, Set<String> regions, Optional<String> zone) {
        c.allowOnly(CLUSTER_KEYS);
        Optional<String> name = c.string("name", true).filter(n -> {
            boolean ok = Names.isLabel(n);
            if (!ok) {
                c.problem(c.position("name"), c.field("name") + " was '" + n + "' but must be letters, digits and '-'");
            }
            return ok;
        });
        Optional<DatabaseKind> kind = c.string("kind", true).flatMap(k -> switch (k) {
            case "postgres" -> Optional.of(DatabaseKind.POSTGRES);
            case "redis" -> Optional.of(DatabaseKind.REDIS);
            default -> {
                c.problem(c.position("kind"), c.field("kind") + " was '" + k + "' but must be postgres or redis");
                yield Optional.empty();
            }
        });
        Optional<String> writeName = c.string("write-name", true).filter(n -> {
            if (!Names.isDomainName(n)) {
                c.problem(c.position("write-name"), c.field("write-name") + " was '" + n + "' but must be a domain name");
                return false;
            }
            if (zone.isPresent() && !Names.isInZone(Names.normalize(n), zone.get())) {
                c.problem(c.position("write-name"), c.field("write-name") + " was '" + n + "' but must be inside the zone " + zone.get());
                return false;
            }
            return true;
        }).map(Names::normalize);
        Duration ttl = c.duration("ttl", false, Duration.ZERO, Duration.ofDays(1)).orElse(Duration.ofSeconds(5));
        Optional<Long> rpoBytes = c.bytes("rpo-bytes", true, 0, 1L << 40);
        Optional<Duration> rpoLag = c.duration("rpo-lag", true, Duration.ZERO, Duration.ofDays(1));
        boolean automatic = c.bool("automatic").orElse(false);
        Optional<Boolean> crossRegion = c.bool("cross-region");
        if (!c.has("cross-region")) {
            c.problem(c.self(), "missing required field '" + c.field("cross-region") + "' (say explicitly whether the primary may move to another region)");
        }
        List<String> candidates = new ArrayList<>();
        for (YamlNode item : c.list("candidates", true)) {
            String v = item instanceof YamlNode.Scalar s ? s.text() : "";
            if (!regions.contains(v) || candidates.contains(v)) {
                c.problem(item, c.field("candidates") + " names '" + v + "' but must name distinct regions (known: "
                        + String.join(", ", new java.util.TreeSet<>(regions)) + ")");
            } else {
                candidates.add(v);
            }
        }
        Duration interval = c.duration("interval", false, Duration.ofMillis(100), Duration.ofMinutes(10)).orElse(Duration.ofSeconds(1));
        Duration timeout = c.duration("timeout", false, Duration.ofMillis(10), Duration.ofMinutes(1)).orElse(Duration.ofSeconds(1));
        int rise = c.integer("rise", false, 1, 100).orElse(2);
        int fall = c.integer("fall", false, 1, 100).orElse(3);
        List<String> fence = new ArrayList<>();
        for (YamlNode item : c.list("fence-command", false)) {
            fence.add(item instanceof YamlNode.Scalar s ? s.text() : "");
        }
        Duration fenceTimeout = c.duration("fence-timeout", false, Duration.ofMillis(100), Duration.ofMinutes(10)).orElse(Duration.ofSeconds(10));
        boolean promoteUnfenced = c.bool("promote-unfenced").orElse(true);
        Duration cooldown = c.duration("cooldown", false, Duration.ZERO, Duration.ofDays(7)).orElse(Duration.ofMinutes(10));
        Duration catchUp = c.duration("catch-up-timeout", false, Duration.ofMillis(100), Duration.ofHours(1)).orElse(Duration.ofSeconds(30));
        if (name.isEmpty() || kind.isEmpty() || writeName.isEmpty() || rpoBytes.isEmpty() || rpoLag.isEmpty() || crossRegion.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DatabaseClusterConfig(name.get(), kind.get(), writeName.get(), ttl, rpoBytes.get(), rpoLag.get(), automatic,
                candidates, crossRegion.get(), interval, timeout, rise, fall, fence, fenceTimeout, promoteUnfenced, cooldown, catchUp));
    }
}
