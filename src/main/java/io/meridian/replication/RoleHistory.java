package io.meridian.replication;

import io.meridian.plan.RoleChange;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the journal says of each cluster's role changes, read once at start: the change left
 * unfinished by a crash (to resume), and who the newest change made the primary. The journal is
 * the truth: a step journaled done is done.
 */
final class RoleHistory {

    /** A change journaled as started and never as done or aborted. */
    record Interrupted(RoleChange change, Set<RoleChange.Step> done, long primaryPosition) {
    }

    private final Map<String, Interrupted> interrupted = new HashMap<>();
    private final Map<String, String> primary = new HashMap<>();

    private RoleHistory() {
    }

    /** @param entries ROLE_CHANGE and ROLE_STEP journal entries, newest first */
    static RoleHistory of(List<JsonObject> entries) {
        Map<String, Set<RoleChange.Step>> done = new HashMap<>();
        Set<String> finished = new HashSet<>();
        Set<String> seen = new HashSet<>();
        RoleHistory h = new RoleHistory();
        for (JsonObject e : entries) {
            String id = e.getString("change");
            String phase = e.getString("phase", "");
            if (RoleChangeRunner.STEP.equals(e.getString("kind"))) {
                if (phase.equals("done")) {
                    done.computeIfAbsent(id, k -> new HashSet<>()).add(RoleChange.Step.valueOf(e.getString("step")));
                }
                continue;
            }
            if (phase.equals("done") || phase.equals("aborted")) {
                finished.add(id);
            } else if (phase.equals("started") && seen.add(e.getString("subject"))) {
                // Newest first: the first start seen of a cluster is its newest change; older ones do not matter.
                RoleChange c = RoleChangeRunner.fromJournal(e);
                Set<RoleChange.Step> steps = Set.copyOf(done.getOrDefault(id, Set.of()));
                Optional<String> now = steps.contains(RoleChange.Step.PROMOTE) ? Optional.of(c.to()) : c.from();
                now.ifPresent(p -> h.primary.put(c.cluster(), p));
                if (!finished.contains(id)) {
                    h.interrupted.put(c.cluster(), new Interrupted(c, steps, e.getLong("primary_position", -1L)));
                }
            }
        }
        return h;
    }

    Optional<Interrupted> interrupted(String cluster) {
        return Optional.ofNullable(interrupted.get(cluster));
    }

    /** The member the newest journaled change left as the primary: its {@code to} once PROMOTE is done, else its {@code from}. */
    Optional<String> primary(String cluster) {
        return Optional.ofNullable(primary.get(cluster));
    }
}
