package io.meridian.policy;

import io.meridian.config.ServiceConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One answer set per in-service region, weighted by the region's configured weight: each query gets
 * the serving endpoints of one region, chosen with probability {@code weight / sum(weights)} (as
 * Route 53 weighted records do). Down and drained regions drop out and their share goes to the
 * others. A degraded region's weight is scaled by {@value #DEGRADED_FACTOR} (at least 1). Regions
 * of weight 0 get traffic only when every in-service region has weight 0; then all get equal shares.
 * A service that declares a load has it placed within the regions' capacity instead
 * ({@link LoadPlacement}): each region in service keeps its weighted share (a degraded one half of it)
 * up to its limit, and the rest goes to the others in priority order; the weights follow the shares.
 */
public final class WeightedPolicy implements RoutingPolicy {

    public static final double DEGRADED_FACTOR = 0.5;

    @Override
    public DesiredAnswers decide(ServiceConfig service, List<RegionView> regions, Optional<DesiredAnswers> previous) {
        List<RegionView> in = regions.stream().filter(RegionView::inService).toList();
        if (in.isEmpty()) {
            return RoutingPolicy.failOpen(service, regions);
        }
        List<String> out = regions.stream().filter(r -> !r.inService()).map(r -> r.name() + " " + r.whyOut()).toList();
        String leftOut = out.isEmpty() ? "" : "; left out: " + String.join("; ", out);
        Optional<LoadShares> load = CapacityAnswers.place(service, regions);
        if (load.isPresent()) {
            return new DesiredAnswers(service.name(), service.ttl(), CapacityAnswers.sets(load.get(), regions), java.util.Map.of(), false,
                    "weighted by where the load fits: " + load.get().describe() + leftOut, load.get());
        }
        boolean allZero = in.stream().allMatch(r -> r.config().weight() == 0);
        List<AnswerSet> sets = new ArrayList<>();
        List<String> parts = new ArrayList<>();
        for (RegionView r : in) {
            int weight = allZero ? 1 : r.config().weight();
            if (weight > 0 && r.status().degraded()) {
                weight = Math.max(1, (int) Math.round(weight * DEGRADED_FACTOR));
            }
            if (weight > 0) {
                sets.add(new AnswerSet(r.name(), weight, r.status().upAddresses()));
                parts.add(r.name() + " weight " + weight + (r.status().degraded() ? " (degraded, scaled from " + r.config().weight() + ")" : ""));
            }
        }
        String reason = "weighted over regions in service: " + String.join(", ", parts)
                + (allZero ? " (all weights 0: equal shares)" : "") + leftOut;
        return new DesiredAnswers(service.name(), service.ttl(), sets, false, reason);
    }
}
