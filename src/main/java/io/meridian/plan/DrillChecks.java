package io.meridian.plan;

import io.meridian.health.RegionStatus;
import io.meridian.policy.DesiredAnswers;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a running drill watches, from values: whether the region is evacuated, restored, and whether a real incident started. Pure. */
public final class DrillChecks {

    private DrillChecks() {
    }

    /** The drilled services whose published answer still sends clients to {@code region} (or to every region: fail-open). */
    public static List<String> stillServing(Collection<String> services, String region, Map<String, DesiredAnswers> published) {
        return services.stream().filter(s -> {
            DesiredAnswers p = published.get(s);
            return p == null || p.failOpen() || p.regionsInService().contains(region);
        }).toList();
    }

    /** The services that do not yet serve the regions they served when the drill started. */
    public static List<String> notRestored(Map<String, Set<String>> atStart, Map<String, DesiredAnswers> published) {
        return atStart.entrySet().stream().filter(e -> {
            DesiredAnswers p = published.get(e.getKey());
            return p == null || !p.regionsInService().equals(e.getValue());
        }).map(Map.Entry::getKey).sorted().toList();
    }

    /**
     * A real incident: a region other than the evacuated one that was healthy (up, not degraded) when the
     * drill started and is down or degraded now, with why ("eu-west: 0/2 endpoints up, failing: connect_refused").
     */
    public static List<String> incidents(Set<String> healthyAtStart, String evacuated, Map<String, RegionStatus> now) {
        return healthyAtStart.stream().filter(r -> !r.equals(evacuated)).sorted().filter(r -> !healthy(now.get(r)))
                .map(r -> r + ": " + (now.get(r) == null ? "no longer configured" : (now.get(r).up() ? "degraded, " : "") + now.get(r).reason()))
                .toList();
    }

    /** Up and not degraded. */
    public static boolean healthy(RegionStatus st) {
        return st != null && st.up() && !st.degraded();
    }

    /** The services answering with every endpoint because none is in service, or with nothing. */
    public static List<String> failingOpen(Collection<String> services, Map<String, DesiredAnswers> published) {
        return services.stream().filter(s -> published.get(s) != null && (published.get(s).failOpen() || published.get(s).isEmpty())).toList();
    }
}
