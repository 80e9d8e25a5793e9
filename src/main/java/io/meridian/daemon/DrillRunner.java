package io.meridian.daemon;

import io.meridian.api.DrillSource;
import io.meridian.api.StatusSource;
import io.meridian.clock.Clock;
import io.meridian.config.DrillConfig;
import io.meridian.config.Durations;
import io.meridian.config.ServiceConfig;
import io.meridian.engine.Intent;
import io.meridian.engine.Outcome;
import io.meridian.engine.Request;
import io.meridian.plan.DrillChecks;
import io.meridian.plan.DrillReport;
import io.meridian.replication.DatabaseManager;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs one disaster-recovery drill at a time through the operator's own path: its drains are operator
 * requests (checked for readiness, audited, persisted) by {@code drill:NAME}, its database moves are
 * planned switchovers. It evacuates the region, waits until every answer has moved (the RTO), holds,
 * and restores; a real incident (another region going down) or {@code abort} restores at once. Every
 * step is an event; the report is written to {@code drills/} in the state directory.
 */
public final class DrillRunner implements DrillSource {

    private static final Logger log = LoggerFactory.getLogger(DrillRunner.class);
    private static final long POLL_MS = 20;

    private final Vertx vertx;
    private final Clock clock;
    private final StatusSource source;
    private final Optional<DatabaseManager> databases;
    private final DrillReports reports;
    private DrillRun run;

    public DrillRunner(Vertx vertx, Clock clock, StatusSource source, Optional<DatabaseManager> databases, DrillReports reports) {
        this.vertx = vertx;
        this.clock = clock;
        this.source = source;
        this.databases = databases;
        this.reports = reports;
    }

    @Override
    public JsonObject list() {
        JsonArray drills = new JsonArray();
        source.config().drills().forEach(d -> drills.add(new JsonObject().put("name", d.name()).put("evacuate", d.evacuate())
                .put("services", new JsonArray(d.servicesIn(source.config()).stream().map(ServiceConfig::name).toList()))
                .put("databases", new JsonArray(d.clustersIn(source.config()))).put("hold", Durations.format(d.hold()))
                .put("rto", d.rto().map(Durations::format).orElse(null)).put("rpo", d.rpo().map(Durations::format).orElse(null))
                .put("schedule", d.schedule().orElse(null)).put("announce", Durations.format(d.announce()))));
        return new JsonObject().put("drills", drills).put("running", run == null ? null : run.summary()).put("reports", reports.list());
    }

    @Override
    public Optional<JsonObject> report(String id) {
        return reports.json(id);
    }

    @Override
    public Optional<String> markdown(String id) {
        return reports.markdown(id);
    }

    @Override
    public Future<JsonObject> run(String name, String actor, String reason, boolean dryRun) {
        DrillConfig drill = source.config().drill(name).orElseThrow(() -> new IllegalArgumentException("drill '" + name
                + "' is not configured (known: " + source.config().drills().stream().map(DrillConfig::name).collect(Collectors.joining(", ")) + ")"));
        if (run != null) {
            return Future.succeededFuture(refused("drill " + run.drill.name() + " is running (" + run.id + "): abort it first"));
        }
        String who = "drill:" + name + " (" + actor + ")";
        List<Request> drains = drains(drill, who, "drill " + name + ": " + reason);
        // Every drain is checked (readiness included) before any is taken.
        Future<List<Outcome>> checked = Future.succeededFuture(new ArrayList<>());
        for (Request r : drains) {
            checked = checked.compose(list -> source.submit(r, true).map(o -> {
                list.add(o);
                return list;
            }));
        }
        return checked.compose(outcomes -> {
            Optional<Outcome> no = outcomes.stream().filter(o -> !o.accepted()).findFirst();
            JsonObject plan = new JsonObject().put("drill", name).put("evacuate", drill.evacuate())
                    .put("drains", new JsonArray(outcomes.stream().map(o -> (Object) new JsonObject().put("message", o.message())
                            .put("readiness", io.meridian.api.AuditJson.readiness(o.readiness()))
                            .put("plan", io.meridian.api.AuditJson.plan(o.plan()))).toList()))
                    .put("switchovers", new JsonArray(DrillDatabases.plan(drill, source.config(), databases).stream().map(m -> (Object) m).toList()));
            if (no.isPresent()) {
                return Future.succeededFuture(refused("drill " + name + " refused: " + no.get().message()).put("preview", plan));
            }
            if (dryRun) {
                return Future.succeededFuture(new JsonObject().put("accepted", true).put("dry_run", true)
                        .put("message", "drill " + name + " would evacuate " + drill.evacuate() + ", hold " + Durations.format(drill.hold())
                                + " and restore it")
                        .put("preview", plan));
            }
            return start(drill, who, reason, drains).map(r -> new JsonObject().put("accepted", true).put("dry_run", false)
                    .put("message", "drill " + name + " started: " + r.id).put("id", r.id).put("preview", plan));
        });
    }

    /** The drill's drains; they expire by themselves, so that a drill lost with its daemon (a restart) does not leave the region out. */
    private static List<Request> drains(DrillConfig drill, String who, String why) {
        Optional<Duration> expires = Optional.of(drill.hold().plus(drill.timeout().multipliedBy(2)).plusMinutes(1));
        return perService(drill, s -> new Intent.Drain(drill.evacuate(), s, expires), who, why);
    }

    /** One request for every service (the drill names none) or one per service it names. */
    private static List<Request> perService(DrillConfig drill, java.util.function.Function<Optional<String>, Intent> intent, String who,
                                            String why) {
        List<Optional<String>> services = drill.services().isEmpty() ? List.of(Optional.empty())
                : drill.services().stream().map(Optional::of).toList();
        return services.stream().map(s -> new Request(intent.apply(s), who, why, false)).toList();
    }

    private Future<DrillRun> start(DrillConfig drill, String who, String reason, List<Request> drains) {
        Instant now = clock.wallTime();
        DrillRun r = new DrillRun(drill, who, reason, now, source, databases);
        run = r;
        r.step(now, "announce", "evacuating " + drill.evacuate() + " for " + r.services + ", databases " + drill.clustersIn(source.config())
                + ", hold " + Durations.format(drill.hold()) + "; objectives RTO " + drill.rto().map(Durations::format).orElse("none")
                + ", RPO " + drill.rpo().map(Durations::format).orElse("none"), true);
        event(r, "started: " + r.steps.get(0).detail());
        Future<Void> drained = Future.succeededFuture();
        for (Request d : drains) {
            drained = drained.compose(v -> source.submit(d, false)).compose(o -> {
                r.step(clock.wallTime(), "drain", o.message(), o.accepted());
                r.drained = r.drained || o.accepted();
                return o.accepted() ? Future.succeededFuture() : Future.failedFuture(o.message());
            });
        }
        drained.onSuccess(v -> {
            r.evacuating = clock.wallTime();
            r.switchOver(clock.wallTime());
            poll(r);
            r.timer = vertx.setPeriodic(POLL_MS, id -> poll(r));
        }).onFailure(err -> restore(r, "the drain was not taken: " + err.getMessage()));
        return Future.succeededFuture(r);
    }

    @Override
    public Future<JsonObject> abort(String actor, String reason, boolean dryRun) {
        if (run == null) {
            return Future.succeededFuture(refused("no drill is running"));
        }
        DrillRun r = run;
        if (dryRun) {
            return Future.succeededFuture(new JsonObject().put("accepted", true).put("dry_run", true).put("message", "drill "
                    + r.drill.name() + " (" + r.id + ") would be aborted and " + r.drill.evacuate() + " restored"));
        }
        if (r.restoring == null) {
            restore(r, "aborted by " + actor + ": " + reason);
        }
        return Future.succeededFuture(new JsonObject().put("accepted", true).put("message", "drill " + r.drill.name() + " (" + r.id
                + ") is being aborted: " + r.drill.evacuate() + " is restored"));
    }

    /** One look at the state, every {@value #POLL_MS} ms: invariants, incidents, and the step the drill is in. */
    private void poll(DrillRun r) {
        Instant now = clock.wallTime();
        DrillRun.Look look = r.look(now);
        r.watch(look);
        if (r.restoring == null) {
            List<String> incidents = DrillChecks.incidents(r.upAtStart, r.drill.evacuate(), source.engine().regions());
            if (!incidents.isEmpty()) {
                restore(r, "a real incident started: " + String.join("; ", incidents));
                return;
            }
            if (r.holdUntil == null) {
                if (r.evacuated(look)) {
                    r.holdUntil = now.plus(r.drill.hold());
                    event(r, r.drill.evacuate() + " evacuated in " + DrillReport.millis(r.rto().orElse(Duration.ZERO)) + "; holding for "
                            + Durations.format(r.drill.hold()));
                } else if (now.isAfter(r.evacuating.plus(r.drill.timeout()))) {
                    restore(r, "not evacuated within " + Durations.format(r.drill.timeout()) + ": " + r.waitingFor(look));
                }
            } else if (!now.isBefore(r.holdUntil)) {
                r.step(now, "hold", "held " + Durations.format(r.drill.hold()), true);
                restore(r, null);
            }
        } else if (r.restored(look)) {
            finish(r, r.abortedBecause == null ? "completed" : "aborted");
        } else if (now.isAfter(r.restoring.plus(r.drill.timeout()))) {
            r.step(now, "restore", "not restored within " + Durations.format(r.drill.timeout()) + ": " + r.waitingFor(look), false);
            finish(r, "failed");
        }
    }

    /** Brings the region back: undrain, primaries switched back where they moved. {@code why}: an abort's reason. */
    private void restore(DrillRun r, String why) {
        Instant now = clock.wallTime();
        r.restoring = now;
        r.abortedBecause = why;
        if (why != null) {
            r.step(now, "abort", why, false);
            event(r, "aborting: " + why);
        }
        if (r.timer < 0) {
            r.timer = vertx.setPeriodic(POLL_MS, id -> poll(r));
        }
        if (!r.drained) {
            return;
        }
        List<Request> undrains = perService(r.drill, s -> new Intent.Undrain(r.drill.evacuate(), s), r.actor,
                "drill " + r.drill.name() + " restores");
        Future<Void> undrained = Future.succeededFuture();
        for (Request u : undrains) {
            undrained = undrained.compose(v -> source.submit(u, false)).map(o -> {
                r.step(clock.wallTime(), "undrain", o.message(), o.accepted());
                return null;
            });
        }
        undrained.onComplete(v -> r.switchBack(clock.wallTime()));
    }

    private void finish(DrillRun r, String outcome) {
        vertx.cancelTimer(r.timer);
        Instant now = clock.wallTime();
        r.step(now, "end", outcome, !outcome.equals("failed"));
        DrillReport report = r.report(now, outcome);
        run = null;
        event(r, outcome + ": RTO " + DrillReport.objective(report.rto(), report.rtoObjective(), report.rtoMet()) + "; report " + report.id());
        reports.save(report).onFailure(err -> log.error("DRILL {}: the report {} could not be written: {}", r.drill.name(), report.id(), err.getMessage()));
    }

    private void event(DrillRun r, String message) {
        log.info("DRILL {} ({}): {}", r.drill.name(), r.id, message);
        source.journal(new JsonObject().put("kind", "DRILL").put("subject", r.drill.name()).put("actor", r.actor).put("message", message)
                .put("drill_id", r.id));
    }

    /** The id of the run going on, if any. */
    Optional<String> running() {
        return Optional.ofNullable(run).map(r -> r.id);
    }

    private static JsonObject refused(String message) {
        return new JsonObject().put("accepted", false).put("message", message);
    }
}
