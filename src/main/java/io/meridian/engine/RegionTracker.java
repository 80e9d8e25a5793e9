package io.meridian.engine;

import io.meridian.config.RegionConfig;
import io.meridian.health.RegionEvaluator;
import io.meridian.health.RegionStatus;
import io.meridian.health.TargetState;
import io.meridian.health.TargetVerdict;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Each region's status, and since when a region that was down is up again (for the failback hold). One thread. */
final class RegionTracker {

    final Map<String, RegionStatus> regions = new LinkedHashMap<>();
    final Map<String, Instant> upSince = new HashMap<>();
    private final Set<String> seenDown = new HashSet<>();

    /** Evaluates {@code r} from {@code verdicts}; adds an event when it went up or down. */
    void update(RegionConfig r, List<TargetVerdict> verdicts, Instant now, List<Event> events) {
        RegionStatus status = RegionEvaluator.evaluate(r, verdicts);
        RegionStatus previous = regions.put(r.name(), status);
        if (status.up() && !upSince.containsKey(r.name()) && seenDown.contains(r.name())) {
            // Only a region that was really down must prove itself stable before traffic returns;
            // one that merely came up for the first time (start-up) has nothing to prove.
            upSince.put(r.name(), now);
        } else if (!status.up()) {
            upSince.remove(r.name());
            if (verdicts.stream().anyMatch(v -> v.state() == TargetState.DOWN)) {
                seenDown.add(r.name());
            }
        }
        if (previous == null ? status.up() : previous.up() != status.up()) {
            events.add(new Event(now, Event.Kind.REGION_STATE, r.name(),
                    "region " + r.name() + " is now " + (status.up() ? "UP" : "DOWN") + ": " + status.reason()));
        }
    }

    /** Forgets the regions not in {@code names} (a reload removed them). */
    void retain(Set<String> names) {
        regions.keySet().retainAll(names);
        upSince.keySet().retainAll(names);
        seenDown.retainAll(names);
    }
}
