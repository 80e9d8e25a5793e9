package io.meridian.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The load a service expects, in the units its regions' {@code capacity} is given in (requests/s, say).
 * Given as a total or per region; a total sits where the service normally sends it: on its first
 * region by priority (failover) or split by the regions' weights (weighted).
 *
 * @param total    {@code load: 100}
 * @param byRegion {@code load: {us-east: 80, eu-west: 20}}: each region's normal load (absent regions: 0)
 * @param headroom how much of a region's capacity the service may fill: 0.8 keeps a fifth spare, above 1
 *                 overcommits (as Envoy's overprovisioning factor)
 */
public record ServiceLoad(Optional<Double> total, Map<String, Double> byRegion, double headroom) {

    public ServiceLoad {
        byRegion = Map.copyOf(byRegion);
    }

    /** The whole load: the total, or the sum of the regions' loads. */
    public double sum() {
        return total.orElseGet(() -> byRegion.values().stream().mapToDouble(Double::doubleValue).sum());
    }

    /**
     * Each region's normal load.
     *
     * @param regions the service's regions in priority order
     */
    public Map<String, Double> home(PolicyType policy, List<RegionConfig> regions) {
        Map<String, Double> home = new LinkedHashMap<>();
        if (total.isEmpty()) {
            regions.forEach(r -> home.put(r.name(), byRegion.getOrDefault(r.name(), 0.0)));
            return home;
        }
        double weights = regions.stream().mapToInt(RegionConfig::weight).sum();
        for (int i = 0; i < regions.size(); i++) {
            RegionConfig r = regions.get(i);
            double share = policy == PolicyType.FAILOVER ? (i == 0 ? 1 : 0)
                    : weights == 0 ? 1.0 / regions.size() : r.weight() / weights;
            home.put(r.name(), total.get() * share);
        }
        return home;
    }
}
