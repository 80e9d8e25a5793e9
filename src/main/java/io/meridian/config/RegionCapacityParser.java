package io.meridian.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads a region's {@code capacity-report:} and {@code scale-hook:}. */
final class RegionCapacityParser {

    private RegionCapacityParser() {
    }

    static Optional<CapacityReportConfig> report(MappingReader region, Optional<Double> capacity) {
        Optional<MappingReader> m = region.mapping("capacity-report", false);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        MappingReader r = m.get();
        r.allowOnly(Set.of("url", "interval", "timeout", "step", "floor"));
        if (capacity.isEmpty()) {
            region.problem(region.position("capacity-report"), region.field("capacity-report")
                    + " needs the region's capacity: the declared capacity bounds what a report may change");
        }
        Optional<java.net.URI> url = r.url("url", true);
        Duration interval = r.duration("interval", false, Duration.ofMillis(100), Duration.ofHours(1)).orElse(Duration.ofSeconds(5));
        Duration timeout = r.duration("timeout", false, Duration.ofMillis(10), Duration.ofMinutes(1)).orElse(Duration.ofSeconds(2));
        if (timeout.compareTo(interval) > 0) {
            r.problem(r.position("timeout"), r.field("timeout") + " was " + Durations.format(timeout) + " but must not exceed interval ("
                    + Durations.format(interval) + ")");
        }
        double step = r.number("step", 0.01, 10).orElse(0.25);
        double floor = r.fraction("floor").orElse(0.25);
        return url.filter(u -> capacity.isPresent()).map(u -> new CapacityReportConfig(u, interval, timeout, step, floor));
    }

    static Optional<ScaleHookConfig> hook(MappingReader region) {
        Optional<MappingReader> m = region.mapping("scale-hook", false);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        MappingReader h = m.get();
        h.allowOnly(Set.of("url", "command", "timeout", "deadline"));
        Optional<java.net.URI> url = h.url("url", false);
        List<String> command = new ArrayList<>();
        for (YamlNode item : h.list("command", false)) {
            if (item instanceof YamlNode.Scalar s && !s.text().isBlank()) {
                command.add(s.text());
            } else {
                h.problem(item, h.field("command") + " has " + item.kind() + " but each argument must be a string");
            }
        }
        if (h.has("url") == h.has("command")) {
            region.problem(region.position("scale-hook"), region.field("scale-hook") + " needs exactly one of url or command");
            return Optional.empty();
        }
        Duration timeout = h.duration("timeout", false, Duration.ofMillis(100), Duration.ofMinutes(10)).orElse(Duration.ofSeconds(10));
        Duration deadline = h.duration("deadline", false, Duration.ZERO, Duration.ofHours(6)).orElse(Duration.ofMinutes(5));
        if (h.has("command") && h.list("command", false).isEmpty()) {
            h.problem(h.position("command"), h.field("command") + " is empty but must name the program to run");
        }
        if (url.isEmpty() && command.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ScaleHookConfig(url, command, timeout, deadline));
    }
}
