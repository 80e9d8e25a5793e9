package io.meridian.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads one entry of {@code drills}; references to regions, services and clusters are checked. */
final class DrillParser {

    private static final Set<String> KEYS = Set.of("name", "evacuate", "services", "databases", "hold", "objectives", "timeout",
            "schedule", "announce");

    private DrillParser() {
    }

    static Optional<DrillConfig> parse(MappingReader d, Set<String> regions, List<ServiceConfig> services, Set<String> clusters) {
        d.allowOnly(KEYS);
        Optional<String> name = d.string("name", true);
        name.filter(n -> !Names.isLabel(n)).ifPresent(n -> d.problem(d.position("name"), d.field("name") + " was '" + n
                + "' but must be letters, digits and '-' (it names the drill's reports)"));
        Optional<String> region = d.string("evacuate", true);
        region.filter(r -> !regions.contains(r)).ifPresent(r -> d.problem(d.position("evacuate"), d.field("evacuate") + " was '" + r
                + "' but no region has that name (known: " + String.join(", ", regions) + ")"));
        List<String> names = names(d, "services", services.stream().map(ServiceConfig::name).toList());
        names.forEach(s -> services.stream().filter(x -> x.name().equals(s) && region.isPresent() && !x.regions().contains(region.get()))
                .findFirst().ifPresent(x -> d.problem(d.position("services"), d.field("services") + " names " + s
                        + " but it does not span " + region.get())));
        List<String> dbs = names(d, "databases", List.copyOf(clusters));
        Duration hold = d.duration("hold", false, Duration.ZERO, Duration.ofDays(1)).orElse(Duration.ofMinutes(1));
        Duration timeout = d.duration("timeout", false, Duration.ofSeconds(1), Duration.ofHours(6)).orElse(Duration.ofMinutes(5));
        Optional<String> schedule = d.string("schedule", false);
        schedule.flatMap(CronSchedule::problem).ifPresent(why -> d.problem(d.position("schedule"), d.field("schedule")
                + " was '" + schedule.get() + "' but must be a Unix cron expression (minute hour day-of-month month day-of-week, UTC), "
                + "such as '0 3 * * 1': " + why));
        Duration announce = d.duration("announce", false, Duration.ZERO, Duration.ofDays(7)).orElse(Duration.ofMinutes(10));
        Optional<Duration> rto = Optional.empty();
        Optional<Duration> rpo = Optional.empty();
        Optional<MappingReader> objectives = d.mapping("objectives", false);
        if (objectives.isPresent()) {
            objectives.get().allowOnly(Set.of("rto", "rpo"));
            rto = objectives.get().duration("rto", false, Duration.ZERO, Duration.ofDays(1));
            rpo = objectives.get().duration("rpo", false, Duration.ZERO, Duration.ofDays(1));
        }
        if (name.isEmpty() || region.isEmpty() || !regions.contains(region.get())) {
            return Optional.empty();
        }
        return Optional.of(new DrillConfig(name.get(), region.get(), names, dbs, hold, rto, rpo, timeout, schedule, announce));
    }

    private static List<String> names(MappingReader d, String key, List<String> known) {
        List<String> out = new ArrayList<>();
        for (YamlNode item : d.list(key, false)) {
            String v = item instanceof YamlNode.Scalar s ? s.text() : "";
            if (!known.contains(v)) {
                d.problem(item, d.field(key) + " names " + item.kind() + " but none has that name (known: " + String.join(", ", known) + ")");
            } else {
                out.add(v);
            }
        }
        return out;
    }
}
