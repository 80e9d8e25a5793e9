package io.meridian.health;

import io.meridian.config.EndpointConfig;
import io.meridian.config.RegionConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Decides whether a region is up: at least one endpoint UP and at least {@code min-up-fraction}
 * of its endpoints UP. UNKNOWN endpoints count as not up.
 */
public final class RegionEvaluator {

    private RegionEvaluator() {
    }

    public static RegionStatus evaluate(RegionConfig region, Map<String, TargetHealth> health) {
        List<String> up = new ArrayList<>();
        TreeSet<String> failing = new TreeSet<>();
        int unknown = 0;
        for (EndpointConfig e : region.endpoints()) {
            TargetHealth h = health.get(e.id(region.name()));
            if (h != null && h.isUp()) {
                up.add(e.address());
            } else if (h == null || h.state() == TargetState.UNKNOWN) {
                unknown++;
            } else {
                h.last().ifPresent(o -> failing.add(o.ok() ? "recovering" : o.reason()));
            }
        }
        int total = region.endpoints().size();
        boolean isUp = !up.isEmpty() && up.size() >= Math.ceil(region.minUpFraction() * total);
        String reason = up.size() + "/" + total + " endpoints up";
        if (unknown > 0) {
            reason += ", " + unknown + " not yet known";
        }
        if (!failing.isEmpty()) {
            reason += ", failing: " + String.join(", ", failing);
        }
        if (!isUp && !up.isEmpty()) {
            reason += " (needs " + (int) Math.ceil(region.minUpFraction() * total) + ")";
        }
        return new RegionStatus(region.name(), isUp, up.size(), total, up, reason);
    }
}
