package io.meridian.engine;

import io.meridian.config.CapacityReportConfig;
import io.meridian.config.MeridianConfig;
import io.meridian.config.RegionConfig;
import io.meridian.policy.CapacityUse;
import io.meridian.policy.LoadShares;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The capacity the plan uses for each region: the one its reports lead to ({@link CapacityUse}) when it
 * has a {@code capacity-report}, else the declared one (infinite: none). One thread.
 */
final class Capacities {

    private final Map<String, CapacityUse> uses = new HashMap<>();
    private final Set<String> changed = new HashSet<>();
    private final List<Event> events = new ArrayList<>();

    /**
     * Takes one report of {@code r}'s capacity. An event says so when what is used moves, or the region
     * turns ready or not, or its reads start or stop failing (not on every failed read).
     *
     * @return whether anything changed that a tick should decide on or tell
     */
    boolean report(RegionConfig r, CapacityUse.Report report) {
        Optional<CapacityReportConfig> c = r.capacityReport();
        if (c.isEmpty() || r.capacity().isEmpty()) {
            return false;
        }
        CapacityUse was = use(r).orElseThrow();
        CapacityUse next = was.next(report, c.get());
        uses.put(r.name(), next);
        boolean moved = Math.abs(next.used() - was.used()) > 1e-6;
        // Reads that start or stop failing are news; each further failed read is not.
        boolean readsTurned = report.read() != was.reported().isPresent() || !report.read() && !was.detail().startsWith(CapacityUse.FAILED);
        boolean news = moved || next.ready() != was.ready() || readsTurned;
        if (news) {
            events.add(new Event(report.at(), Event.Kind.SCALE, r.name(), "capacity of " + r.name() + ": " + next.detail()
                    + (moved ? "; the plan uses " + LoadShares.number(next.used()) + " (was " + LoadShares.number(was.used()) + ")" : "")));
        }
        if (moved) {
            changed.add(r.name());
        }
        return news;
    }

    /** What the plan uses for {@code r}. */
    double of(RegionConfig r) {
        return use(r).map(CapacityUse::used).orElseGet(() -> r.capacity().orElse(Double.POSITIVE_INFINITY));
    }

    /** What {@code r}'s reports led to, if it has a {@code capacity-report}. */
    Optional<CapacityUse> use(RegionConfig r) {
        if (r.capacityReport().isEmpty() || r.capacity().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(uses.computeIfAbsent(r.name(), n -> CapacityUse.declared(r.capacity().get())));
    }

    /** Forgets the reports of regions that no longer report, or whose declared capacity changed. */
    void reconfigure(MeridianConfig next) {
        uses.entrySet().removeIf(e -> next.region(e.getKey()).filter(r -> r.capacityReport().isPresent()
                && r.capacity().map(c -> c == e.getValue().declared()).orElse(false)).isEmpty());
    }

    /** The regions whose capacity used moved since the last call. */
    Set<String> takeChanged() {
        Set<String> out = Set.copyOf(changed);
        changed.clear();
        return out;
    }

    List<Event> takeEvents() {
        List<Event> out = List.copyOf(events);
        events.clear();
        return out;
    }
}
