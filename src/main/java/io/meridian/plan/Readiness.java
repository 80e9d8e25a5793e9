package io.meridian.plan;

import io.meridian.health.RegionStatus;
import io.meridian.policy.AnswerSet;
import io.meridian.policy.CapacityUse;
import io.meridian.policy.DesiredAnswers;
import io.meridian.policy.LoadShares;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the regions a planned change sends more traffic to are ready for it, check by check: its
 * endpoints are up by the vantages' quorum, it can carry the load it would get (or its scale hook will be
 * asked and the shift ramps meanwhile), its capacity report (if any) says ready, it is not drained for any
 * service (maintenance), and the service's automation is not paused (the change would wait).
 * Pure: the plan that would follow and the state now in, checks out.
 */
public final class Readiness {

    private Readiness() {
    }

    /** One check of one region for one service. */
    public record Check(String service, String region, String name, boolean ok, String detail) {
    }

    /**
     * @param before       what each service answers now
     * @param regions      each region's status now
     * @param drainedFor   per service, the regions drained for it once the change is taken
     * @param paused       services whose automation is paused once the change is taken
     * @param reports      the regions that report their capacity: what the last report said
     * @param asks         the regions whose scale hook will be asked for more capacity while the change ramps
     */
    public static List<Check> of(Plan after, Map<String, DesiredAnswers> before, Map<String, RegionStatus> regions,
                                 Map<String, Set<String>> drainedFor, Set<String> paused, Map<String, CapacityUse> reports,
                                 Map<String, ScaleRequests.Ask> asks) {
        List<Check> checks = new ArrayList<>();
        List<Action> moves = new ArrayList<>(after.actions());
        moves.addAll(after.paused());
        for (Action a : moves) {
            Map<String, Double> was = shares(Optional.ofNullable(before.get(a.service())));
            Map<String, Double> will = shares(Optional.of(a.answers()));
            for (Map.Entry<String, Double> e : will.entrySet()) {
                String region = e.getKey();
                if (region.equals("*") || e.getValue() <= was.getOrDefault(region, 0.0) + 1e-9) {
                    continue; // gets no more traffic than now
                }
                checks.addAll(region(a, region, regions.get(region), drainedFor, paused, Optional.ofNullable(asks.get(region))));
                Optional.ofNullable(reports.get(region)).ifPresent(r -> checks.add(new Check(a.service(), region, "reports ready",
                        r.ready(), r.detail())));
            }
        }
        return checks;
    }

    private static List<Check> region(Action a, String region, RegionStatus st, Map<String, Set<String>> drainedFor, Set<String> paused,
                                      Optional<ScaleRequests.Ask> ask) {
        String svc = a.service();
        List<Check> checks = new ArrayList<>();
        checks.add(new Check(svc, region, "endpoints", st != null && st.up() && !st.undecided(),
                st == null ? "not evaluated yet" : (st.up() ? "up: " : st.undecided() ? "not yet known: " : "down: ") + st.reason()));
        LoadShares load = a.answers().load();
        load.shares().stream().filter(s -> s.region().equals(region)).findFirst().ifPresent(s -> checks.add(new Check(svc, region,
                "capacity", s.load() <= s.limit() + 1e-6 || ask.isPresent(), LoadShares.number(s.load()) + " of its limit "
                        + LoadShares.number(s.limit()) + " (capacity " + LoadShares.number(s.capacity()) + ")"
                        + ask.map(x -> "; its scale hook is asked for " + LoadShares.number(x.capacity())
                                + " and the shift ramps as it grows").orElse(""))));
        List<String> drainedElsewhere = drainedFor.entrySet().stream().filter(e -> e.getValue().contains(region)).map(Map.Entry::getKey)
                .sorted().toList();
        checks.add(new Check(svc, region, "not drained", drainedElsewhere.isEmpty(),
                drainedElsewhere.isEmpty() ? "no drain on it" : "drained for " + String.join(", ", drainedElsewhere)));
        checks.add(new Check(svc, region, "automation", !paused.contains(svc),
                paused.contains(svc) ? "automation of " + svc + " is paused: the change would wait for resume" : "not paused"));
        return checks;
    }

    /** Each region's share of the answers (clients in a region are counted once per region they map to). */
    private static Map<String, Double> shares(Optional<DesiredAnswers> d) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (d.isEmpty() || d.get().failOpen()) {
            return out;
        }
        List<List<AnswerSet>> groups = new ArrayList<>();
        groups.add(d.get().sets());
        groups.addAll(d.get().byClient().values());
        for (List<AnswerSet> sets : groups) {
            double sum = sets.stream().mapToInt(AnswerSet::weight).sum();
            for (AnswerSet s : sets) {
                double share = sets.size() == 1 ? 1 : sum == 0 ? 1.0 / sets.size() : s.weight() / sum;
                out.merge(s.label(), share, Math::max);
            }
        }
        return out;
    }
}
