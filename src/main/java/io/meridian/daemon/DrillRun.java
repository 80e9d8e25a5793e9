package io.meridian.daemon;

import io.meridian.api.StatusSource;
import io.meridian.config.DrillConfig;
import io.meridian.config.ServiceConfig;
import io.meridian.plan.DrillChecks;
import io.meridian.plan.DrillReport;
import io.meridian.policy.DesiredAnswers;
import io.meridian.replication.DatabaseManager;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** One run of a drill: what it started from, the steps so far, and what it measured. Used on the controller's loop only. */
final class DrillRun {

    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    final DrillConfig drill;
    final String actor;
    final String reason;
    final String id;
    final Instant started;
    final List<String> services;
    final List<DrillReport.Step> steps = new ArrayList<>();
    /** Per drilled service, the regions it served at the start: what restored means. */
    private final Map<String, Set<String>> regionsAtStart = new LinkedHashMap<>();
    /** The regions healthy (up, not degraded) at the start: one of them going down or degrading is a real incident. */
    final Set<String> upAtStart = new LinkedHashSet<>();
    private final StatusSource source;
    private final Optional<DatabaseManager> databases;
    /** Cluster to the member that was primary in the evacuated region, for those switched over. */
    private final Map<String, String> movedFrom = new LinkedHashMap<>();
    private final Set<String> switchedBack = new LinkedHashSet<>();
    private final Map<String, String> brokenInvariants = new LinkedHashMap<>();
    private final Set<String> held = new LinkedHashSet<>();
    private static final int HELD_EVERY = 25;
    private long looks;
    boolean drained;
    Instant evacuating;
    Instant holdUntil;
    Instant restoring;
    String abortedBecause;
    private Instant evacuatedAt;
    long timer = -1;

    DrillRun(DrillConfig drill, String actor, String reason, Instant now, StatusSource source, Optional<DatabaseManager> databases) {
        this.drill = drill;
        this.actor = actor;
        this.reason = reason;
        this.started = now;
        this.id = drill.name() + "-" + ID.format(now);
        this.source = source;
        this.databases = databases;
        this.services = drill.servicesIn(source.config()).stream().map(ServiceConfig::name).toList();
        Map<String, DesiredAnswers> published = source.engine().published();
        services.forEach(s -> regionsAtStart.put(s, Optional.ofNullable(published.get(s)).map(DesiredAnswers::regionsInService).orElse(Set.of())));
        source.engine().regions().forEach((name, st) -> {
            if (DrillChecks.healthy(st)) {
                upAtStart.add(name);
            }
        });
    }

    /** What one look saw: the published answers and the clusters' status, each read once. */
    record Look(Instant now, Map<String, DesiredAnswers> published, Map<String, JsonObject> clusters) {
    }

    Look look(Instant now) {
        return new Look(now, source.engine().published(), DrillDatabases.statuses(databases));
    }

    void step(Instant at, String name, String detail, boolean ok) {
        steps.add(new DrillReport.Step(at, name, detail, ok));
    }

    JsonObject summary() {
        String phase = restoring != null ? "restoring" : holdUntil != null ? "holding until " + holdUntil : "evacuating";
        return new JsonObject().put("id", id).put("drill", drill.name()).put("region", drill.evacuate()).put("started", started.toString())
                .put("phase", phase).put("steps", steps.size());
    }

    /** Asks each drilled cluster whose primary is in the region to switch over to its best replica elsewhere. */
    void switchOver(Instant now) {
        for (JsonObject move : DrillDatabases.plan(drill, source.config(), databases)) {
            String cluster = move.getString("cluster");
            if (move.getString("to") == null) {
                step(now, "switchover " + cluster, "no reachable replica outside " + drill.evacuate() + " may take the primary", false);
                continue;
            }
            DatabaseManager.Outcome o = databases.orElseThrow().requests().switchover(cluster, move.getString("to"), actor,
                    "drill " + drill.name() + ": " + reason, false);
            step(now, "switchover " + cluster, move.getString("from") + " -> " + move.getString("to") + " (" + move.getValue("lag_bytes")
                    + " bytes behind when asked; promoted once it has replayed everything): " + o.message(), o.accepted());
            if (o.accepted()) {
                movedFrom.put(cluster, move.getString("from"));
            }
        }
    }

    /**
     * Switches every moved cluster back to the member that was primary. One that refuses (a PostgreSQL primary
     * that was switched over is fenced until rebuilt as a replica by hand) stays where it is, and the report says so.
     */
    void switchBack(Instant now) {
        movedFrom.forEach((cluster, member) -> {
            DatabaseManager.Outcome o = databases.orElseThrow().requests().switchover(cluster, member, actor,
                    "drill " + drill.name() + " restores", false);
            step(now, "switchover " + cluster, "back to " + member + ": " + o.message(), o.accepted());
            if (o.accepted()) {
                switchedBack.add(cluster);
            }
        });
    }

    /** Invariants, on every look: no drilled service fails open, every write name points at its primary; what the plan holds. */
    void watch(Look l) {
        DrillChecks.failingOpen(services, l.published()).forEach(s -> brokenInvariants.putIfAbsent("answers of " + s,
                "failed open at " + l.now()));
        for (String cluster : drill.clustersIn(source.config())) {
            DrillDatabases.strayWriteName(l.clusters(), cluster).ifPresent(why -> brokenInvariants.putIfAbsent("write name of " + cluster,
                    why + " at " + l.now()));
        }
        if (++looks % HELD_EVERY == 0) { // the plan is computed afresh: not on every look
            source.plan().held().stream().filter(h -> services.stream().anyMatch(h::startsWith)).forEach(held::add);
        }
    }

    /** True once every answer left the region and every moved primary settled outside it (recorded once, with the time). */
    boolean evacuated(Look l) {
        if (evacuatedAt != null) {
            return true;
        }
        if (!DrillChecks.stillServing(services, drill.evacuate(), l.published()).isEmpty() || !primariesMoved(l)) {
            return false;
        }
        evacuatedAt = l.now();
        step(l.now(), "evacuated", "every answer of " + services + " left " + drill.evacuate()
                + (movedFrom.isEmpty() ? "" : "; the primary of " + movedFrom.keySet() + " moved and its write name follows it"), true);
        return true;
    }

    private boolean primariesMoved(Look l) {
        return movedFrom.keySet().stream().allMatch(c -> DrillDatabases.settledPrimary(l.clusters(), c).filter(p -> !p.equals(movedFrom.get(c)))
                .isPresent());
    }

    boolean restored(Look l) {
        boolean dns = DrillChecks.notRestored(regionsAtStart, l.published()).isEmpty();
        // Every moved cluster has settled (a role change still running, e.g. after an abort mid-switchover, is waited for);
        // those switched back are back where they were.
        boolean db = movedFrom.keySet().stream().allMatch(c -> DrillDatabases.settledPrimary(l.clusters(), c)
                .filter(p -> !switchedBack.contains(c) || p.equals(movedFrom.get(c))).isPresent());
        if (dns && db) {
            List<String> stayed = movedFrom.keySet().stream().filter(c -> !switchedBack.contains(c)).sorted()
                    .map(c -> c + " stays at " + DrillDatabases.settledPrimary(l.clusters(), c).orElseThrow()).toList();
            step(l.now(), "restored", "every answer serves the regions it served at the start" + (switchedBack.isEmpty() ? ""
                    : "; the primaries of " + switchedBack + " are back where they were")
                    + (stayed.isEmpty() ? "" : "; " + String.join(", ", stayed)), true);
        }
        return dns && db;
    }

    String waitingFor(Look l) {
        List<String> still = restoring == null ? DrillChecks.stillServing(services, drill.evacuate(), l.published())
                : DrillChecks.notRestored(regionsAtStart, l.published());
        return (still.isEmpty() ? "" : "answers of " + still) + (movedFrom.isEmpty() ? "" : " databases " + movedFrom.keySet());
    }

    Optional<Duration> rto() {
        return Optional.ofNullable(evacuatedAt).map(t -> Duration.between(evacuating, t));
    }

    DrillReport report(Instant now, String outcome) {
        List<DrillReport.Invariant> invariants = new ArrayList<>();
        invariants.add(invariant("never an empty or fail-open answer for " + String.join(", ", services), "answers of "));
        drill.clustersIn(source.config()).forEach(c -> invariants.add(invariant("the write name of " + c + " points only at its primary",
                "write name of " + c)));
        if (!movedFrom.isEmpty()) {
            List<String> stayed = movedFrom.keySet().stream().filter(c -> !switchedBack.contains(c)).toList();
            invariants.add(new DrillReport.Invariant("every database primary back where it was", stayed.isEmpty() && restoredStep(),
                    stayed.isEmpty() ? "switched back: " + switchedBack : "not switched back (see its step): " + stayed));
        }
        invariants.add(new DrillReport.Invariant("every answer restored to what it was at the start",
                restoredStep(), regionsAtStart.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
        // A planned switchover promotes only a replica that has replayed everything: nothing acknowledged is lost.
        Optional<Duration> rpo = movedFrom.isEmpty() ? Optional.empty() : Optional.of(Duration.ZERO);
        return new DrillReport(id, drill.name(), drill.evacuate(), actor, reason, started, now, outcome, steps, rto(), drill.rto(),
                rpo, drill.rpo(), invariants, List.copyOf(held));
    }

    private boolean restoredStep() {
        return steps.stream().anyMatch(s -> s.name().equals("restored"));
    }

    private DrillReport.Invariant invariant(String name, String prefix) {
        List<String> broken = brokenInvariants.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .map(e -> e.getKey() + ": " + e.getValue()).toList();
        return new DrillReport.Invariant(name, broken.isEmpty(), broken.isEmpty() ? "checked on every look" : String.join("; ", broken));
    }
}
