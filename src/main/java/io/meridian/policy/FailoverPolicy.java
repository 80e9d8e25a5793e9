package io.meridian.policy;

import io.meridian.config.ServiceConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Answers with the serving endpoints of the in-service region with the best (lowest) priority; ties go
 * by name. A service that declares a load gets as much of it as that region may take, and the rest
 * spills to the next regions in priority order, weighted by what each got ({@link LoadPlacement}).
 */
public final class FailoverPolicy implements RoutingPolicy {

    @Override
    public DesiredAnswers decide(ServiceConfig service, List<RegionView> regions, Optional<DesiredAnswers> previous) {
        StringBuilder skipped = new StringBuilder();
        for (RegionView r : RoutingPolicy.byPriority(regions)) {
            if (r.inService()) {
                String reason = skipped.isEmpty()
                        ? r.name() + " is the first region in priority order and is up (" + r.status().reason() + ")"
                        : "failover to " + r.name() + " (" + r.status().reason() + ") because " + skipped;
                Optional<LoadShares> load = CapacityAnswers.place(service, regions);
                if (load.isPresent()) {
                    return new DesiredAnswers(service.name(), service.ttl(), CapacityAnswers.sets(load.get(), regions), Map.of(), false,
                            reason + "; " + load.get().describe(), load.get());
                }
                return new DesiredAnswers(service.name(), service.ttl(),
                        List.of(new AnswerSet(r.name(), 1, r.status().upAddresses())), false, reason);
            }
            skipped.append(skipped.isEmpty() ? "" : "; ").append(r.name()).append(" is ").append(r.whyOut());
        }
        return RoutingPolicy.failOpen(service, regions);
    }

    /** Settled once, in priority order, a region with every endpoint known is in service (or none is left). */
    @Override
    public boolean settled(List<RegionView> regions) {
        return awaitedInOrder(regions).isEmpty();
    }

    /** Only the regions ranked above the first fully known one in service. */
    @Override
    public String awaited(List<RegionView> regions) {
        return RoutingPolicy.describeAwaited(awaitedInOrder(regions));
    }

    private static List<RegionView> awaitedInOrder(List<RegionView> regions) {
        List<RegionView> awaited = new ArrayList<>();
        for (RegionView r : RoutingPolicy.byPriority(regions)) {
            if (r.drained()) {
                continue;
            }
            if (r.status().settling()) {
                awaited.add(r);
            } else if (r.inService()) {
                break;
            }
        }
        return awaited;
    }
}
