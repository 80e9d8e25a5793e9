package io.meridian.policy;

import io.meridian.config.ServiceConfig;

import java.util.Comparator;
import java.util.List;

/** Answers with the up endpoints of the up region with the best (lowest) priority; ties go by name. */
public final class FailoverPolicy implements RoutingPolicy {

    @Override
    public DesiredAnswers decide(ServiceConfig service, List<RegionView> regions) {
        List<RegionView> ordered = regions.stream()
                .sorted(Comparator.comparingInt((RegionView r) -> r.config().priority()).thenComparing(RegionView::name))
                .toList();
        StringBuilder skipped = new StringBuilder();
        for (RegionView r : ordered) {
            if (r.status().up()) {
                String reason = skipped.isEmpty()
                        ? r.name() + " is the first region in priority order and is up (" + r.status().reason() + ")"
                        : "failover to " + r.name() + " (" + r.status().reason() + ") because " + skipped;
                return new DesiredAnswers(service.name(), service.ttl(),
                        List.of(new AnswerSet(r.name(), 1, r.status().upAddresses())), false, reason);
            }
            skipped.append(skipped.isEmpty() ? "" : "; ").append(r.name()).append(" is down (").append(r.status().reason()).append(')');
        }
        return RoutingPolicy.failOpen(service, regions);
    }
}
