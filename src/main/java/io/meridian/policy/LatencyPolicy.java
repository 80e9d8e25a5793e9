package io.meridian.policy;

import io.meridian.config.ServiceConfig;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Clients in each vantage's region are answered with the in-service region of lowest measured
 * latency from that vantage. The current choice is kept unless another region is faster by more
 * than the service's {@code latency-tolerance}, so small differences do not flip answers. Clients
 * in no known region get the failover order (best priority in service).
 */
public final class LatencyPolicy implements RoutingPolicy {

    @Override
    public DesiredAnswers decide(ServiceConfig service, List<RegionView> regions, Optional<DesiredAnswers> previous) {
        List<RegionView> ordered = RoutingPolicy.byPriority(regions).stream().filter(RegionView::inService).toList();
        if (ordered.isEmpty()) {
            return RoutingPolicy.failOpen(service, regions);
        }
        double tolerance = service.latencyTolerance().toNanos() / 1e6;
        Set<String> vantages = new TreeSet<>();
        ordered.forEach(r -> vantages.addAll(r.latencyByVantage().keySet()));
        Map<String, List<AnswerSet>> byClient = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        for (String vantage : vantages) {
            RegionView best = null;
            for (RegionView r : ordered) {
                Double ms = r.latencyByVantage().get(vantage);
                if (ms != null && !ms.isNaN() && (best == null || ms < best.latencyByVantage().get(vantage))) {
                    best = r;
                }
            }
            if (best == null) {
                continue;
            }
            double bestMs = best.latencyByVantage().get(vantage);
            String sticky = previous.map(p -> p.byClient().get(vantage)).filter(l -> !l.isEmpty()).map(l -> l.get(0).label()).orElse("");
            for (RegionView r : ordered) {
                Double ms = r.latencyByVantage().get(vantage);
                if (r.name().equals(sticky) && ms != null && !ms.isNaN() && ms <= bestMs + tolerance) {
                    best = r;
                    break;
                }
            }
            byClient.put(vantage, List.of(new AnswerSet(best.name(), 1, best.status().upAddresses())));
            double chosenMs = best.latencyByVantage().get(vantage);
            parts.add(vantage + " -> " + best.name() + " (" + Math.round(chosenMs * 10) / 10.0 + " ms"
                    + (best.name().equals(sticky) && chosenMs > bestMs ? ", kept within " + Math.round(tolerance) + " ms tolerance" : "")
                    + ")");
        }
        RegionView fallback = ordered.get(0);
        String reason = "lowest latency per client region: " + (parts.isEmpty() ? "no latency measured yet" : String.join(", ", parts))
                + "; others -> " + fallback.name() + " (best priority in service)";
        return new DesiredAnswers(service.name(), service.ttl(), List.of(new AnswerSet(fallback.name(), 1, fallback.status().upAddresses())),
                byClient, false, reason);
    }
}
