package io.meridian.engine;

import io.meridian.config.EndpointConfig;
import io.meridian.config.HealthCheckConfig;
import io.meridian.config.MeridianConfig;
import io.meridian.config.RegionConfig;
import io.meridian.config.ServiceConfig;
import io.meridian.health.CheckRules;
import io.meridian.health.HealthBook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the engine takes from one configuration: services and regions by name, each region's target
 * ids and every target's check rules. Built again, whole, on a reload.
 */
record Topology(Map<String, ServiceConfig> services, Map<String, RegionConfig> regions, Map<String, List<String>> targets,
                List<HealthBook.TargetSpec> specs) {

    static Topology of(MeridianConfig config) {
        Map<String, ServiceConfig> services = new LinkedHashMap<>();
        config.services().forEach(s -> services.put(s.name(), s));
        Map<String, RegionConfig> regions = new LinkedHashMap<>();
        Map<String, List<String>> targets = new LinkedHashMap<>();
        Map<String, HealthCheckConfig> checks = config.checksByName();
        List<HealthBook.TargetSpec> specs = new ArrayList<>();
        for (RegionConfig r : config.regions()) {
            regions.put(r.name(), r);
            List<String> ids = new ArrayList<>();
            for (EndpointConfig e : r.endpoints()) {
                HealthCheckConfig c = checks.get(e.check());
                specs.add(new HealthBook.TargetSpec(e.id(r.name()), r.name(),
                        new CheckRules(c.rise(), c.fall(), c.latencyThreshold(), c.latencyRise(), c.latencyFall())));
                ids.add(e.id(r.name()));
            }
            targets.put(r.name(), List.copyOf(ids));
        }
        return new Topology(services, regions, targets, List.copyOf(specs));
    }
}
