package io.meridian.policy;

import io.meridian.config.PolicyType;
import io.meridian.config.ServiceConfig;
import io.meridian.config.ServiceLoad;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer of a service that declares a load: its load placed within the regions' capacity
 * ({@link LoadPlacement}), one answer set per region given any, weighted by the share it got.
 */
final class CapacityAnswers {

    private CapacityAnswers() {
    }

    /**
     * The placement of {@code service}'s load, or empty when it declares none (or a load of 0), or no
     * region is in service (the policy fails open).
     *
     * @param regions the service's regions in any order
     */
    static Optional<LoadShares> place(ServiceConfig service, List<RegionView> regions) {
        Optional<ServiceLoad> load = service.load().filter(l -> l.sum() > LoadPlacement.EPSILON);
        if (load.isEmpty() || regions.stream().noneMatch(RegionView::inService)) {
            return Optional.empty();
        }
        boolean weighted = service.policy() == PolicyType.WEIGHTED;
        List<RegionView> byPriority = RoutingPolicy.byPriority(regions);
        Map<String, Double> home = load.get().home(service.policy(), byPriority.stream().map(RegionView::config).toList());
        // Homeless load goes in priority order; under the weighted policy degraded regions and those of weight 0 come last.
        Comparator<RegionView> order = Comparator.comparingInt(r -> !weighted ? 0 : r.config().weight() == 0 ? 2 : r.status().degraded() ? 1 : 0);
        List<LoadPlacement.Slot> slots = new ArrayList<>();
        for (RegionView r : byPriority.stream().sorted(order).toList()) {
            double normal = home.getOrDefault(r.name(), 0.0) * (weighted && r.status().degraded() ? WeightedPolicy.DEGRADED_FACTOR : 1);
            double capacity = r.capacity();
            if (!r.rampingDown()) {
                slots.add(new LoadPlacement.Slot(r.name(), r.inService(), normal, capacity, capacity * load.get().headroom()));
            }
        }
        // A region ramping down is offered last, with no load of its own: it keeps only what the others cannot carry yet.
        for (RegionView r : byPriority.stream().filter(RegionView::rampingDown).toList()) {
            slots.add(new LoadPlacement.Slot(r.name(), true, 0, r.capacity(), r.capacity() * load.get().headroom()));
        }
        // What a degraded region sheds is homeless: offered to the others like a departed region's load.
        return Optional.of(LoadPlacement.place(slots, home.values().stream().mapToDouble(Double::doubleValue).sum()));
    }

    /** All of {@code service}'s load on {@code region} (an operator's failover): beyond its limit, it has no home. */
    static Optional<LoadShares> pinned(ServiceConfig service, RegionView region) {
        return service.load().filter(l -> l.sum() > LoadPlacement.EPSILON).map(l -> LoadPlacement.place(List.of(new LoadPlacement.Slot(
                region.name(), true, l.sum(), region.capacity(), region.capacity() * l.headroom())), l.sum()));
    }

    /**
     * A manual failover to {@code region} while it ramps: all of the load is its own, up to its limit; the rest
     * stays on {@code from} (the regions serving before), offered in that order.
     */
    static Optional<LoadShares> pinnedRamp(ServiceConfig service, RegionView region, List<RegionView> from) {
        return service.load().filter(l -> l.sum() > LoadPlacement.EPSILON).map(l -> {
            List<LoadPlacement.Slot> slots = new ArrayList<>();
            slots.add(new LoadPlacement.Slot(region.name(), true, l.sum(), region.capacity(), region.capacity() * l.headroom()));
            from.forEach(r -> slots.add(new LoadPlacement.Slot(r.name(), true, 0, r.capacity(), r.capacity() * l.headroom())));
            return LoadPlacement.place(slots, l.sum());
        });
    }

    /** One set per region given load, in priority order, weighted by its share. */
    static List<AnswerSet> sets(LoadShares shares, List<RegionView> regions) {
        return setsInOrder(shares, RoutingPolicy.byPriority(regions));
    }

    /** One set per region given load, in the order of {@code regions}, weighted by its share. */
    static List<AnswerSet> setsInOrder(LoadShares shares, List<RegionView> regions) {
        Map<String, Integer> weights = LoadPlacement.weights(shares);
        List<AnswerSet> sets = new ArrayList<>();
        for (RegionView r : regions) {
            Integer w = weights.get(r.name());
            if (w != null) {
                sets.add(new AnswerSet(r.name(), w, r.status().upAddresses()));
            }
        }
        return sets;
    }
}
