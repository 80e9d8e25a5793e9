package io.meridian.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A disaster-recovery drill ({@code drills} in {@code meridian.yaml}): evacuate a region, hold, come back,
 * and measure how long it took against the objectives.
 *
 * @param evacuate  the region every drilled service and database primary leaves
 * @param services  the services drained from it (empty: every service that spans it)
 * @param databases the clusters whose primary is switched over out of it, when it is there (empty: every
 *                  cluster with a member in it)
 * @param hold      how long the region stays evacuated before the drill brings it back
 * @param rto       objective: every answer (and write name) moved within this
 * @param rpo       objective: acknowledged writes lost at most this old (a switchover loses none)
 * @param timeout   a step that has not completed after this aborts the drill (the region is restored)
 * @param schedule  a Unix cron expression (UTC): the drill also runs by itself then, when every region is up
 *                  and automation is not paused
 * @param announce  a scheduled run is announced this long before
 */
public record DrillConfig(String name, String evacuate, List<String> services, List<String> databases, Duration hold,
                          Optional<Duration> rto, Optional<Duration> rpo, Duration timeout, Optional<String> schedule, Duration announce) {

    public DrillConfig {
        services = List.copyOf(services);
        databases = List.copyOf(databases);
    }

    /** The services drained: those listed, or every one spanning the evacuated region. */
    public List<ServiceConfig> servicesIn(MeridianConfig config) {
        return config.services().stream().filter(s -> services.isEmpty() ? s.regions().contains(evacuate) : services.contains(s.name()))
                .toList();
    }

    /** The clusters switched over: those listed, or every one with a member in the evacuated region. */
    public List<String> clustersIn(MeridianConfig config) {
        return config.databases().stream().map(DatabaseClusterConfig::name)
                .filter(c -> databases.isEmpty() ? config.members(c).stream().anyMatch(m -> m.region().equals(evacuate)) : databases.contains(c))
                .toList();
    }
}
