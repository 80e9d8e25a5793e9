package io.meridian.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.Optional;
import java.util.Set;

/** Reads one {@code healthchecks/*.yaml}. Defaults: path {@code /}, statuses 200-399, 5s/2s, rise 2, fall 2. */
final class HealthCheckParser {

    private static final Set<String> COMMON = Set.of("name", "type", "interval", "timeout", "rise", "fall",
            "latency-threshold", "latency-rise", "latency-fall", "recheck");
    /** Which keys each type takes besides the common ones. */
    private static final Map<CheckType, Set<String>> TYPE_KEYS = Map.of(
            CheckType.HTTP, Set.of("path", "host", "expect-status", "body-contains", "body-regex", "max-body-bytes", "method",
                    "headers", "follow-redirects", "http2", "keep-alive"),
            CheckType.HTTPS, Set.of("path", "host", "expect-status", "body-contains", "body-regex", "max-body-bytes", "method",
                    "headers", "follow-redirects", "http2", "insecure", "ca-file", "keep-alive"),
            CheckType.TCP, Set.of("send", "expect"),
            CheckType.DNS, Set.of("query", "query-type", "expect-rcode", "answer-contains"),
            CheckType.TLS, Set.of("host", "insecure", "ca-file", "warn-before", "fail-before"));
    private static final Set<String> ALL_KEYS = allKeys();
    private static final Set<String> QUERY_TYPES = Set.of("A", "AAAA", "CNAME", "MX", "NS", "TXT", "SRV");
    private static final Set<String> RCODES = Set.of("NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED");

    private static Set<String> allKeys() {
        Set<String> all = new java.util.TreeSet<>(COMMON);
        TYPE_KEYS.values().forEach(all::addAll);
        return all;
    }

    private HealthCheckParser() {
    }

    static Optional<HealthCheckConfig> parse(MappingReader r, String defaultName) {
        r.allowOnly(ALL_KEYS);
        String name = r.string("name", false).orElse(defaultName);
        Optional<CheckType> type = r.string("type", true).flatMap(t -> {
            for (CheckType c : CheckType.values()) {
                if (c.yamlName().equals(t)) {
                    return Optional.of(c);
                }
            }
            r.problem(r.position("type"), "type was '" + t + "' but must be one of: http, https, tcp, dns, tls");
            return Optional.empty();
        });
        type.ifPresent(t -> ALL_KEYS.stream().filter(k -> !COMMON.contains(k) && !TYPE_KEYS.get(t).contains(k) && r.has(k))
                .sorted().forEach(k -> r.problem(r.position(k), k + " does not apply to " + t.yamlName() + " checks (it applies to: "
                        + String.join(", ", TYPE_KEYS.entrySet().stream().filter(e -> e.getValue().contains(k))
                        .map(e -> e.getKey().yamlName()).sorted().toList()) + ")")));
        String path = r.string("path", false).orElse("/");
        if (!path.startsWith("/")) {
            r.problem(r.position("path"), "path was '" + path + "' but must start with /");
        }
        Set<Integer> statuses = expectStatus(r);
        Duration interval = r.duration("interval", false, Duration.ofMillis(100), Duration.ofHours(1)).orElse(Duration.ofSeconds(5));
        Duration timeout = r.duration("timeout", false, Duration.ofMillis(10), Duration.ofHours(1)).orElse(Duration.ofSeconds(2));
        if (timeout.compareTo(interval) >= 0) {
            r.problem(r.position("timeout"), "timeout was " + Durations.format(timeout)
                    + " but must be less than interval (" + Durations.format(interval) + ")");
        }
        int rise = r.integer("rise", false, 1, 100).orElse(2);
        int fall = r.integer("fall", false, 1, 100).orElse(2);
        Optional<Duration> latency = r.duration("latency-threshold", false, Duration.ofMillis(1), Duration.ofMinutes(1));
        int latencyRise = r.integer("latency-rise", false, 1, 100).orElse(3);
        int latencyFall = r.integer("latency-fall", false, 1, 100).orElse(3);
        Optional<Duration> recheck = r.duration("recheck", false, Duration.ofMillis(10), Duration.ofHours(1));
        recheck.filter(d -> d.compareTo(interval) >= 0).ifPresent(d -> r.problem(r.position("recheck"),
                "recheck was " + Durations.format(d) + " but must be shorter than interval (" + Durations.format(interval) + ")"));
        ProbeOptions options = options(r);
        if (type.filter(t -> t == CheckType.DNS).isPresent() && options.query().isEmpty()) {
            r.problem(r.self(), "missing required field 'query' (the name a dns check asks for)");
        }
        return type.map(t -> new HealthCheckConfig(name, t, path, r.string("host", false), statuses,
                r.string("body-contains", false), r.bool("insecure").orElse(false), interval, timeout, rise, fall,
                latency, latencyRise, latencyFall, recheck, options));
    }

    private static ProbeOptions options(MappingReader r) {
        ProbeOptions d = ProbeOptions.defaults();
        String method = r.string("method", false).orElse(d.method());
        if (!method.matches("GET|HEAD|POST|PUT|OPTIONS")) {
            r.problem(r.position("method"), "method was '" + method + "' but must be one of: GET, HEAD, POST, PUT, OPTIONS");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        r.mapping("headers", false).ifPresent(h -> h.keys().forEach(k -> h.string(k, true).ifPresent(v -> headers.put(k, v))));
        Optional<Path> ca = r.path("ca-file", false, null);
        ca.filter(p -> !Files.isReadable(p)).ifPresent(p -> r.problem(r.position("ca-file"), "ca-file " + p + " cannot be read"));
        String queryType = r.string("query-type", false).map(q -> q.toUpperCase(java.util.Locale.ROOT)).orElse(d.queryType());
        if (!QUERY_TYPES.contains(queryType)) {
            r.problem(r.position("query-type"), "query-type was '" + queryType + "' but must be one of: " + String.join(", ", new java.util.TreeSet<>(QUERY_TYPES)));
        }
        String rcode = r.string("expect-rcode", false).map(q -> q.toUpperCase(java.util.Locale.ROOT)).orElse(d.expectRcode());
        if (!RCODES.contains(rcode)) {
            r.problem(r.position("expect-rcode"), "expect-rcode was '" + rcode + "' but must be one of: " + String.join(", ", new java.util.TreeSet<>(RCODES)));
        }
        Duration warn = r.duration("warn-before", false, Duration.ZERO, Duration.ofDays(365)).orElse(d.warnBefore());
        Duration fail = r.duration("fail-before", false, Duration.ZERO, Duration.ofDays(365)).orElse(d.failBefore());
        if (fail.compareTo(warn) > 0) {
            r.problem(r.position("fail-before"), "fail-before was " + Durations.format(fail) + " but must not exceed warn-before ("
                    + Durations.format(warn) + ")");
        }
        return new ProbeOptions(method, headers, regex(r, "body-regex"),
                r.integer("max-body-bytes", false, 1, 16 * 1024 * 1024).orElse(d.maxBodyBytes()),
                r.bool("follow-redirects").orElse(false), r.bool("http2").orElse(false), ca, r.string("send", false),
                regex(r, "expect"), r.string("query", false).map(Names::normalize).orElse(""), queryType, rcode,
                r.string("answer-contains", false), warn, fail, r.bool("keep-alive").orElse(false));
    }

    private static Optional<Pattern> regex(MappingReader r, String key) {
        return r.string(key, false).flatMap(text -> {
            try {
                return Optional.of(Pattern.compile(text));
            } catch (PatternSyntaxException e) {
                r.problem(r.position(key), key + " was '" + text + "' but is not a valid regex: " + e.getDescription());
                return Optional.empty();
            }
        });
    }

    /** {@code expect-status: [200, 204]} or {@code ["200-299"]}. */
    private static Set<Integer> expectStatus(MappingReader r) {
        if (!r.has("expect-status")) {
            Set<Integer> ok = new LinkedHashSet<>();
            for (int s = 200; s < 400; s++) {
                ok.add(s);
            }
            return ok;
        }
        Set<Integer> statuses = new LinkedHashSet<>();
        List<YamlNode> items = r.list("expect-status", false);
        if (items.isEmpty() && r.node("expect-status", false).filter(n -> n instanceof YamlNode.Sequence).isPresent()) {
            r.problem(r.position("expect-status"), r.field("expect-status") + " is empty, so no probe could pass: list a status or a range such as 200-299");
        }
        for (YamlNode item : items) {
            String text = item instanceof YamlNode.Scalar s ? s.text().trim() : "";
            String[] range = text.split("-", 2);
            if (!text.matches("[0-9]{3}(\\s*-\\s*[0-9]{3})?")) {
                range = new String[] {"0"}; // only ASCII digits: reported below
            }
            try {
                int from = Integer.parseInt(range[0].trim());
                int to = range.length == 2 ? Integer.parseInt(range[1].trim()) : from;
                if (from >= 100 && to <= 599 && from <= to) {
                    for (int s = from; s <= to; s++) {
                        statuses.add(s);
                    }
                    continue;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            r.problem(item, "expect-status entry was " + item.kind() + " but must be a status 100-599 or a range such as 200-299");
        }
        return statuses;
    }
}
