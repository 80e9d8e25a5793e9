package io.meridian.health;

import io.meridian.config.EndpointConfig;
import io.meridian.config.RegionConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Decides whether a region is up: at least one endpoint serving (UP or DEGRADED) and at least
 * {@code min-up-fraction} of its endpoints serving. UNKNOWN endpoints count as not serving, but a
 * region that is not up only because they are UNKNOWN is undecided, not down.
 * The region is degraded when more than half of its serving endpoints are DEGRADED.
 */
public final class RegionEvaluator {

    private RegionEvaluator() {
    }

    /** @param verdicts one per endpoint, in configuration order (null: never evaluated) */
    public static RegionStatus evaluate(RegionConfig region, List<TargetVerdict> verdicts) {
        List<String> up = new ArrayList<>();
        TreeSet<String> failing = new TreeSet<>();
        int unknown = 0;
        int slow = 0;
        for (int i = 0; i < region.endpoints().size(); i++) {
            EndpointConfig e = region.endpoints().get(i);
            TargetVerdict v = verdicts.get(i);
            TargetState s = v == null ? TargetState.UNKNOWN : v.state();
            if (s.serves()) {
                up.add(e.address());
                slow += s == TargetState.DEGRADED ? 1 : 0;
            } else if (s == TargetState.UNKNOWN) {
                unknown++;
            } else {
                failing.add(v.lastFailure().isEmpty() ? "recovering" : v.lastFailure());
            }
        }
        int total = region.endpoints().size();
        int needed = (int) Math.ceil(region.minUpFraction() * total);
        boolean isUp = !up.isEmpty() && up.size() >= needed;
        boolean undecided = !isUp && unknown > 0 && up.size() + unknown >= Math.max(1, needed);
        boolean degraded = slow * 2 > up.size();
        String reason = up.size() + "/" + total + " endpoints up";
        if (slow > 0) {
            reason += ", " + slow + " degraded";
        }
        if (unknown > 0) {
            reason += ", " + unknown + " not yet known";
        }
        if (!failing.isEmpty()) {
            reason += ", failing: " + String.join(", ", failing);
        }
        if (!isUp && !up.isEmpty()) {
            reason += " (needs " + needed + ")";
        }
        // Two endpoints of one address (two ports) answer as one address: an A or AAAA set holds no duplicates.
        return new RegionStatus(region.name(), isUp, degraded, up.size(), total, up.stream().distinct().toList(), reason, unknown, undecided);
    }
}
