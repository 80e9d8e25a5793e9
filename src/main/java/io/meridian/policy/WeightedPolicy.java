package io.meridian.policy;

import io.meridian.config.ServiceConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * One answer set per up region, weighted by the region's configured weight: each query gets the up
 * endpoints of one region, chosen with probability {@code weight / sum(weights of up regions)}
 * (as Route 53 weighted records do). Down regions drop out and their share goes to the others.
 * Regions of weight 0 get traffic only when every up region has weight 0; then all get equal shares.
 */
public final class WeightedPolicy implements RoutingPolicy {

    @Override
    public DesiredAnswers decide(ServiceConfig service, List<RegionView> regions) {
        List<RegionView> up = regions.stream().filter(r -> r.status().up()).toList();
        if (up.isEmpty()) {
            return RoutingPolicy.failOpen(service, regions);
        }
        boolean allZero = up.stream().allMatch(r -> r.config().weight() == 0);
        List<AnswerSet> sets = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (RegionView r : up) {
            int weight = allZero ? 1 : r.config().weight();
            if (weight > 0) {
                sets.add(new AnswerSet(r.name(), weight, r.status().upAddresses()));
                parts.add(r.name() + " weight " + weight);
            }
        }
        List<String> down = regions.stream().filter(r -> !r.status().up())
                .map(r -> r.name() + " (" + r.status().reason() + ")").toList();
        String reason = "weighted over up regions: " + String.join(", ", parts)
                + (allZero ? " (all weights 0: equal shares)" : "")
                + (down.isEmpty() ? "" : "; left out because down: " + String.join("; ", down));
        return new DesiredAnswers(service.name(), service.ttl(), sets, false, reason);
    }
}
