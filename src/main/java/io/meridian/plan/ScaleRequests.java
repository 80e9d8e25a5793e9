package io.meridian.plan;

import io.meridian.config.MeridianConfig;
import io.meridian.config.RegionConfig;
import io.meridian.config.ServiceConfig;
import io.meridian.config.ServiceLoad;
import io.meridian.policy.LoadPlacement;
import io.meridian.policy.LoadShares;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which regions a plan gives more of a service's load than their capacity x headroom allows, and the
 * capacity that would carry it: what to ask their {@code scale-hook} for. Pure.
 */
public final class ScaleRequests {

    private ScaleRequests() {
    }

    /**
     * Ask {@code region} to scale to {@code capacity} (the largest any one service needs: capacity is per service).
     *
     * @param has what it has now
     */
    public record Ask(String region, double capacity, double has, String services) {

        public String describe() {
            return region + " to " + LoadShares.number(capacity) + " (has " + LoadShares.number(has) + ", for " + services + ")";
        }
    }

    /** The asks of {@code plan}'s actions, one per region short of capacity that has a scale hook, in plan order. */
    public static List<Ask> of(Plan plan, MeridianConfig config) {
        Map<String, Ask> asks = new LinkedHashMap<>();
        for (Action a : plan.actions()) {
            Optional<ServiceLoad> load = config.service(a.service()).flatMap(ServiceConfig::load);
            if (load.isEmpty()) {
                continue;
            }
            for (LoadShares.Share s : a.answers().load().shares()) {
                Optional<RegionConfig> r = config.region(s.region());
                if (r.flatMap(RegionConfig::scaleHook).isEmpty() || Double.isInfinite(s.capacity()) || s.load() <= s.limit() + LoadPlacement.EPSILON) {
                    continue;
                }
                double wanted = s.load() / load.get().headroom();
                Ask was = asks.get(s.region());
                if (was == null || was.capacity() < wanted) {
                    String names = was == null ? a.service() : was.services() + ", " + a.service();
                    asks.put(s.region(), new Ask(s.region(), wanted, s.capacity(), names));
                }
            }
        }
        return new ArrayList<>(asks.values());
    }
}
