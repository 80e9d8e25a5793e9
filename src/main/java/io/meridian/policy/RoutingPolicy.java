package io.meridian.policy;

import io.meridian.config.PolicyType;
import io.meridian.config.ServiceConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns region health into the answers of one service. Implementations never return an empty
 * answer: when no region is up they fail open (see {@link #failOpen}).
 */
public interface RoutingPolicy {

    /** @param regions the service's regions, in the order the service lists them */
    DesiredAnswers decide(ServiceConfig service, List<RegionView> regions);

    static RoutingPolicy of(PolicyType type) {
        return switch (type) {
            case FAILOVER -> new FailoverPolicy();
            case WEIGHTED -> new WeightedPolicy();
        };
    }

    /** Every endpoint of every region in one set: when nothing looks up, serving all beats serving none. */
    static DesiredAnswers failOpen(ServiceConfig service, List<RegionView> regions) {
        List<String> all = new ArrayList<>();
        List<String> why = new ArrayList<>();
        for (RegionView r : regions) {
            r.allAddresses().stream().filter(a -> !all.contains(a)).forEach(all::add);
            why.add(r.name() + ": " + r.status().reason());
        }
        return new DesiredAnswers(service.name(), service.ttl(), List.of(new AnswerSet("*", 1, all)), true,
                "FAIL-OPEN: no region is up (" + String.join("; ", why) + "), serving every endpoint");
    }
}
