package io.meridian.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads {@code coordination:} of meridian.yaml: every problem with file:line:col, nothing half-read. */
final class CoordinationParser {

    private static final Set<String> KEYS = Set.of("type", "endpoints", "prefix", "lease-ttl", "grace", "reassert", "tls", "user",
            "password-file");
    private static final Set<String> TLS_KEYS = Set.of("ca", "cert", "key");
    /** etcd grants no lease shorter than this (its minimum TTL is about 1.5 × the election timeout). */
    static final Duration MIN_TTL = Duration.ofSeconds(2);

    private CoordinationParser() {
    }

    static CoordinationConfig parse(MappingReader c, Path dir) {
        c.allowOnly(KEYS);
        CoordinationConfig d = CoordinationConfig.local();
        String typeText = c.string("type", true).orElse("local");
        CoordinationConfig.Type type = switch (typeText) {
            case "local" -> CoordinationConfig.Type.LOCAL;
            case "etcd" -> CoordinationConfig.Type.ETCD;
            default -> {
                c.problem(c.position("type"), c.field("type") + " was '" + typeText + "' but must be local or etcd");
                yield CoordinationConfig.Type.LOCAL;
            }
        };
        List<URI> endpoints = new ArrayList<>();
        for (YamlNode n : c.list("endpoints", type == CoordinationConfig.Type.ETCD)) {
            Optional<URI> uri = n instanceof YamlNode.Scalar s ? endpoint(s.text()) : Optional.empty();
            if (uri.isPresent()) {
                endpoints.add(uri.get());
            } else {
                c.problem(n, c.field("endpoints") + " has " + (n instanceof YamlNode.Scalar s ? "'" + s.text() + "'" : n.kind())
                        + " but each must be an http:// or https:// URL with a host and a port, e.g. http://10.0.1.5:2379");
            }
        }
        if (type == CoordinationConfig.Type.ETCD && endpoints.isEmpty() && c.has("endpoints")) {
            c.problem(c.position("endpoints"), c.field("endpoints") + " is empty but etcd needs at least one member");
        }
        String prefix = c.string("prefix", false).orElse(d.prefix());
        if (!prefix.startsWith("/")) {
            c.problem(c.position("prefix"), c.field("prefix") + " was '" + prefix + "' but must start with /");
        }
        prefix = prefix.endsWith("/") ? prefix : prefix + "/";
        Duration ttl = c.duration("lease-ttl", false, MIN_TTL, Duration.ofMinutes(5)).orElse(d.leaseTtl());
        Duration grace = c.duration("grace", false, Duration.ZERO, Duration.ofMinutes(5)).orElse(d.grace());
        Duration reassert = c.duration("reassert", false, Duration.ofMillis(100), Duration.ofMinutes(1)).orElse(d.reassert());
        if (c.has("reassert") && reassert.compareTo(ttl) >= 0) {
            c.problem(c.position("reassert"), c.field("reassert") + " was " + reassert.toMillis() + " ms but must be shorter than lease-ttl ("
                    + ttl.toMillis() + " ms)");
        }
        Optional<CoordinationConfig.Tls> tls = c.mapping("tls", false).flatMap(t -> {
            t.allowOnly(TLS_KEYS);
            Optional<Path> ca = t.path("ca", true, dir);
            Optional<Path> cert = t.path("cert", false, dir);
            Optional<Path> key = t.path("key", false, dir);
            if (cert.isPresent() != key.isPresent()) {
                t.problem(t.position(cert.isPresent() ? "cert" : "key"), t.field("cert") + " and key must be set together");
            }
            return ca.map(p -> new CoordinationConfig.Tls(p, cert, key));
        });
        Optional<String> user = c.string("user", false);
        Secret password = Secret.NONE;
        if (c.has("password-file")) {
            Optional<Path> file = c.path("password-file", true, dir);
            if (file.isPresent()) {
                try {
                    password = new Secret(Files.readString(file.get()).strip(), "file " + c.peek("password-file").orElse(""));
                } catch (IOException ex) {
                    c.problem(c.position("password-file"), c.field("password-file") + " was '" + c.peek("password-file").orElse("")
                            + "' but cannot be read: " + ex.getClass().getSimpleName());
                }
            }
            if (user.isEmpty()) {
                c.problem(c.position("password-file"), c.field("password-file") + " is set but user is not");
            }
        }
        return new CoordinationConfig(type, endpoints, prefix, ttl, grace, reassert, tls, user, password);
    }

    private static Optional<URI> endpoint(String text) {
        try {
            URI u = new URI(text.trim());
            boolean ok = ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null && u.getPort() > 0
                    && (u.getPath() == null || u.getPath().isEmpty() || u.getPath().equals("/"));
            return ok ? Optional.of(u) : Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }
}
