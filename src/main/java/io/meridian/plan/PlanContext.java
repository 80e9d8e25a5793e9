package io.meridian.plan;

import io.meridian.config.AutomationSettings;
import io.meridian.config.ServiceConfig;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything besides desired answers that the planner's rules read.
 *
 * @param inService     per region: up and not drained (for the service being planned, see {@link #drainedFor})
 * @param regionUpSince per region that is up again after being down: since when, for the failback hold;
 *                      a region that never went down is absent and needs no hold
 * @param drainedFor    per service: the regions drained for it (globally drained ones included)
 * @param paused        services whose automation is paused
 * @param pinned        services an operator failed over by hand: service to region
 * @param failbackNow   services an operator asked to fail back now, past the failback hold and cooldown
 * @param undecided     regions not up only for want of results (UNKNOWN endpoints): leaving one is no failover
 */
public record PlanContext(Map<String, ServiceConfig> services, Map<String, ServiceState> states, AutomationSettings limits,
                          Map<String, Boolean> inService, Map<String, Instant> regionUpSince,
                          Map<String, Set<String>> drainedFor, Set<String> paused, Map<String, String> pinned,
                          Set<String> failbackNow, Set<String> undecided) {

    public PlanContext(Map<String, ServiceConfig> services, Map<String, ServiceState> states, AutomationSettings limits,
                       Map<String, Boolean> inService, Map<String, Instant> regionUpSince,
                       Map<String, Set<String>> drainedFor, Set<String> paused, Map<String, String> pinned,
                       Set<String> failbackNow) {
        this(services, states, limits, inService, regionUpSince, drainedFor, paused, pinned, failbackNow, Set.of());
    }

    ServiceState state(String service) {
        return states.getOrDefault(service, ServiceState.initial());
    }

    /** False for a region a reload removed (leaving it is no failover either); true for the fail-open answer's {@code *}. */
    boolean configured(String region) {
        return inService.containsKey(region) || region.equals("*");
    }

    boolean inService(String service, String region) {
        return inService.getOrDefault(region, false) && !drainedFor.getOrDefault(service, Set.of()).contains(region);
    }

    boolean drained(String service, String region) {
        return drainedFor.getOrDefault(service, Set.of()).contains(region);
    }

    Optional<Instant> upSince(String region) {
        return Optional.ofNullable(regionUpSince.get(region));
    }
}
