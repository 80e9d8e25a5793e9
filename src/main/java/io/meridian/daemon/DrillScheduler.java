package io.meridian.daemon;

import io.meridian.api.StatusSource;
import io.meridian.clock.Clock;
import io.meridian.config.CronSchedule;
import io.meridian.config.DrillConfig;
import io.meridian.config.Durations;
import io.meridian.config.ServiceConfig;
import io.meridian.plan.DrillChecks;
import io.meridian.plan.DrillSchedule;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs drills that have a {@code schedule}, on the leader: each run is announced {@code announce} before,
 * and runs only when every region is up and not degraded, automation is not paused for any service and no drill runs;
 * otherwise it is skipped, and the event says why. Looks once a second.
 */
final class DrillScheduler {

    private static final Logger log = LoggerFactory.getLogger(DrillScheduler.class);

    private final Vertx vertx;
    private final Clock clock;
    private final StatusSource source;
    private final DrillRunner runner;
    private final Map<String, Instant> nextRun = new HashMap<>();
    private final Set<String> announced = new HashSet<>();
    private long timer = -1;

    DrillScheduler(Vertx vertx, Clock clock, StatusSource source, DrillRunner runner) {
        this.vertx = vertx;
        this.clock = clock;
        this.source = source;
        this.runner = runner;
    }

    void start() {
        timer = vertx.setPeriodic(1000, id -> look(clock.wallTime()));
    }

    void stop() {
        vertx.cancelTimer(timer);
    }

    void look(Instant now) {
        Set<String> scheduled = new HashSet<>();
        for (DrillConfig d : source.config().drills()) {
            if (d.schedule().isEmpty()) {
                continue;
            }
            scheduled.add(d.name());
            Optional<Instant> next = Optional.ofNullable(nextRun.get(d.name())).or(() -> CronSchedule.next(d.schedule().get(), now));
            if (next.isEmpty()) {
                continue; // a schedule with no future time
            }
            nextRun.put(d.name(), next.get());
            String at = next.get().toString();
            switch (DrillSchedule.step(now, next.get(), d.announce(), announced.contains(d.name()), blocker())) {
                case ANNOUNCE -> {
                    announced.add(d.name());
                    event(d, "scheduled run at " + at + " (in " + Durations.format(java.time.Duration.between(now, next.get()).withNanos(0))
                            + "), if every region is up and automation is not paused");
                }
                case RUN -> {
                    advance(d, now);
                    runner.run(d.name(), "schedule", "scheduled drill (" + d.schedule().get() + ")", false)
                            .onSuccess(o -> event(d, o.getBoolean("accepted") ? "scheduled run at " + at + " started: " + o.getString("id")
                                    : "scheduled run at " + at + " refused: " + o.getString("message")))
                            .onFailure(err -> event(d, "scheduled run at " + at + " failed: " + err.getMessage()));
                }
                case SKIP -> {
                    String why = blocker().orElse("");
                    advance(d, now);
                    event(d, "scheduled run at " + at + " skipped: " + why);
                }
                case NOTHING -> { }
            }
        }
        nextRun.keySet().retainAll(scheduled);
        announced.retainAll(scheduled);
    }

    private void advance(DrillConfig d, Instant now) {
        announced.remove(d.name());
        nextRun.remove(d.name());
        CronSchedule.next(d.schedule().get(), now).ifPresent(t -> nextRun.put(d.name(), t));
    }

    /** Why a scheduled drill may not run now: not the leader, another drill runs, a region is down, automation is paused. */
    private Optional<String> blocker() {
        if (!source.leads()) {
            return Optional.of("this daemon does not lead (the leader runs scheduled drills)");
        }
        if (runner.running().isPresent()) {
            return Optional.of("drill " + runner.running().get() + " is running");
        }
        Optional<String> down = source.engine().regions().entrySet().stream().filter(e -> !DrillChecks.healthy(e.getValue()))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> "region " + e.getKey() + " is not healthy (" + (e.getValue().up() ? "degraded, " : "") + e.getValue().reason() + ")")
                .findFirst();
        if (down.isPresent()) {
            return down;
        }
        return source.config().services().stream().map(ServiceConfig::name).filter(s -> source.engine().paused(s)).findFirst()
                .map(s -> "automation is paused for " + s);
    }

    private void event(DrillConfig d, String message) {
        if (!source.leads()) {
            return; // the leader says it
        }
        log.info("DRILL {}: {}", d.name(), message);
        source.journal(new JsonObject().put("kind", "DRILL").put("subject", d.name()).put("actor", "schedule").put("message", message));
    }
}
