package io.meridian.policy;

import io.meridian.config.PolicyType;
import io.meridian.config.ServiceConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns region health into the answers of one service. Drained regions get no traffic. No policy
 * returns an empty answer: when no region is in service they fail open (see {@link #failOpen}).
 */
public interface RoutingPolicy {

    /**
     * @param regions  the service's regions, in the order the service lists them
     * @param previous what the policy decided last time (for stickiness), if anything
     */
    DesiredAnswers decide(ServiceConfig service, List<RegionView> regions, Optional<DesiredAnswers> previous);

    /**
     * Whether results still to come could change this service's answer: false while a region it would
     * rank (drained ones aside) has an endpoint with no verdict yet. Policies that weigh every region wait
     * for all of them; failover overrides this, as only the regions ranked above its pick matter.
     */
    default boolean settled(List<RegionView> regions) {
        return regions.stream().noneMatch(r -> !r.drained() && r.status().settling());
    }

    /** The regions whose results the answer still waits for, for reasons: "us-east (2 of 2 not yet known)". */
    default String awaited(List<RegionView> regions) {
        return describeAwaited(regions.stream().filter(r -> !r.drained() && r.status().settling()).toList());
    }

    static String describeAwaited(List<RegionView> regions) {
        return regions.stream().map(r -> r.name() + " (" + r.status().unknown() + " of " + r.status().total() + " not yet known)")
                .collect(java.util.stream.Collectors.joining(", "));
    }

    static RoutingPolicy of(PolicyType type) {
        return switch (type) {
            case FAILOVER -> new FailoverPolicy();
            case WEIGHTED -> new WeightedPolicy();
            case LATENCY -> new LatencyPolicy();
        };
    }

    /** Every endpoint of every region in one set: when nothing is in service, serving all beats serving none. */
    static DesiredAnswers failOpen(ServiceConfig service, List<RegionView> regions) {
        List<String> all = new ArrayList<>();
        List<String> why = new ArrayList<>();
        for (RegionView r : regions) {
            r.allAddresses().stream().filter(a -> !all.contains(a)).forEach(all::add);
            why.add(r.name() + " " + r.whyOut());
        }
        return new DesiredAnswers(service.name(), service.ttl(), List.of(new AnswerSet("*", 1, all)), true,
                "FAIL-OPEN: no region is in service (" + String.join("; ", why) + "), serving every endpoint");
    }

    /**
     * The answer of a service an operator failed over to {@code region} by hand: that region alone, with all of
     * any load; while the failover ramps, the regions {@code rampFrom} keep what it cannot carry yet.
     */
    static DesiredAnswers pinned(ServiceConfig service, RegionView region, List<RegionView> rampFrom, String why) {
        Optional<LoadShares> ramp = rampFrom.isEmpty() ? Optional.empty() : CapacityAnswers.pinnedRamp(service, region, rampFrom);
        if (ramp.isPresent()) {
            List<RegionView> all = new ArrayList<>(List.of(region));
            all.addAll(rampFrom);
            return new DesiredAnswers(service.name(), service.ttl(), CapacityAnswers.setsInOrder(ramp.get(), all), java.util.Map.of(), false,
                    why + " (ramping while " + region.name() + " scales up); " + ramp.get().describe(), ramp.get());
        }
        List<AnswerSet> sets = List.of(new AnswerSet(region.name(), 1, region.status().upAddresses()));
        return CapacityAnswers.pinned(service, region)
                .map(l -> new DesiredAnswers(service.name(), service.ttl(), sets, java.util.Map.of(), false, why + "; " + l.describe(), l))
                .orElseGet(() -> new DesiredAnswers(service.name(), service.ttl(), sets, false, why));
    }

    /** The in-service regions in failover order: priority, then name. */
    static List<RegionView> byPriority(List<RegionView> regions) {
        return regions.stream()
                .sorted(java.util.Comparator.comparingInt((RegionView r) -> r.config().priority()).thenComparing(RegionView::name))
                .toList();
    }
}
