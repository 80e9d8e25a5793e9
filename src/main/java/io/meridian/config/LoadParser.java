package io.meridian.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads a service's {@code load} (a number, or a mapping of its regions to numbers) and {@code headroom}. */
final class LoadParser {

    static final double MAX = 1e12;

    private LoadParser() {
    }

    static Optional<ServiceLoad> parse(MappingReader s, Optional<PolicyType> policy, Set<String> regions) {
        Optional<Double> headroom = s.number("headroom", 0.01, 10);
        if (!s.has("load")) {
            headroom.ifPresent(h -> s.problem(s.position("headroom"), s.field("headroom") + " was given but load was not: "
                    + "headroom is the share of each region's capacity the service's load may fill"));
            return Optional.empty();
        }
        if (policy.filter(p -> p == PolicyType.LATENCY).isPresent()) {
            s.problem(s.position("load"), s.field("load") + " is for failover and weighted services: a latency service "
                    + "sends each client to its nearest region whatever the load");
            return Optional.empty();
        }
        YamlNode node = s.position("load");
        Optional<Double> total = Optional.empty();
        Map<String, Double> byRegion = new LinkedHashMap<>();
        if (node instanceof YamlNode.Mapping) {
            Optional<MappingReader> m = s.nested(node, s.field("load"));
            if (m.isEmpty()) {
                return Optional.empty();
            }
            for (String region : m.get().keys()) {
                if (!regions.contains(region)) {
                    m.get().problem(m.get().position(region), m.get().field(region) + " names a region the service does not span "
                            + "(its regions: " + String.join(", ", regions) + ")");
                    return Optional.empty();
                }
                Optional<Double> v = m.get().number(region, 0, MAX);
                if (v.isEmpty()) {
                    return Optional.empty();
                }
                byRegion.put(region, v.get());
            }
            if (byRegion.isEmpty()) {
                s.problem(node, s.field("load") + " is empty but must give at least one region's load");
                return Optional.empty();
            }
        } else {
            total = s.number("load", 0, MAX);
            if (total.isEmpty()) {
                return Optional.empty();
            }
        }
        return Optional.of(new ServiceLoad(total, byRegion, headroom.orElse(1.0)));
    }
}
