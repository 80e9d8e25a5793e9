package io.meridian.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Reads one {@code healthchecks/*.yaml}. Defaults: path {@code /}, statuses 200-399, 5s/2s, rise 2, fall 2. */
final class HealthCheckParser {

    private static final Set<String> KEYS = Set.of("name", "type", "path", "host", "expect-status", "body-contains",
            "insecure", "interval", "timeout", "rise", "fall", "latency-threshold", "latency-rise", "latency-fall", "recheck");
    private static final Set<String> HTTP_ONLY = Set.of("path", "host", "expect-status", "body-contains");

    private HealthCheckParser() {
    }

    static Optional<HealthCheckConfig> parse(MappingReader r, String defaultName) {
        r.allowOnly(KEYS);
        String name = r.string("name", false).orElse(defaultName);
        Optional<CheckType> type = r.string("type", true).flatMap(t -> {
            for (CheckType c : CheckType.values()) {
                if (c.yamlName().equals(t)) {
                    return Optional.of(c);
                }
            }
            r.problem(r.position("type"), "type was '" + t + "' but must be one of: http, https, tcp");
            return Optional.empty();
        });
        boolean http = type.map(t -> t != CheckType.TCP).orElse(true);
        if (!http) {
            HTTP_ONLY.stream().filter(r::has).sorted().forEach(k ->
                    r.problem(r.position(k), k + " applies only to http and https checks, not tcp"));
        }
        if (type.isPresent() && type.get() != CheckType.HTTPS && r.has("insecure")) {
            r.problem(r.position("insecure"), "insecure applies only to https checks");
        }
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
        return type.map(t -> new HealthCheckConfig(name, t, path, r.string("host", false), statuses,
                r.string("body-contains", false), r.bool("insecure").orElse(false), interval, timeout, rise, fall,
                latency, latencyRise, latencyFall, recheck));
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
        for (YamlNode item : r.list("expect-status", false)) {
            String text = item instanceof YamlNode.Scalar s ? s.text().trim() : "";
            String[] range = text.split("-", 2);
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
