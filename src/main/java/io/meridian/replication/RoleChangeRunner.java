package io.meridian.replication;

import io.meridian.clock.Clock;
import io.meridian.config.DatabaseMember;
import io.meridian.dns.DnsChange;
import io.meridian.coord.Term;
import io.meridian.dns.RecordSet;
import io.meridian.health.TargetState;
import io.meridian.plan.RoleChange;
import io.meridian.plan.RoleChange.Step;
import io.meridian.policy.MemberStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs a {@link RoleChange} step by step. Each step is journaled as started and as done (fsync'ed)
 * and is idempotent, so after a crash {@link #resume} continues at the first step not done and a
 * repeated step does nothing twice (promoting a primary is a no-op). A step that cannot be done
 * aborts the change with an event that says why; an aborted switchover gives the old primary its
 * writes back and the write name returns to it on the next round.
 */
final class RoleChangeRunner {

    private static final Logger log = LoggerFactory.getLogger(RoleChangeRunner.class);
    static final String CHANGE = "ROLE_CHANGE";
    static final String STEP = "ROLE_STEP";
    private static final Duration PROMOTE_WAIT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final Clock clock;
    private final RoleActions act;
    private final StepGate gate;
    private final Function<String, TargetState> verdict;

    RoleChangeRunner(Vertx vertx, Clock clock, RoleActions act, StepGate gate, Function<String, TargetState> verdict) {
        this.vertx = vertx;
        this.clock = clock;
        this.act = act;
        this.gate = gate;
        this.verdict = verdict;
    }

    /** Journals the change, then runs it from its first step, every step under {@code term}. */
    Future<Void> start(ClusterState s, RoleChange c, Term term) {
        s.running = Optional.of(c);
        s.lastChange = Optional.of(new ChangeProgress(c, clock.wallTime()));
        log.info("ROLE_CHANGE {} {} of {}: {} -> {} by {} because {}", c.id(), c.kind(), c.cluster(), c.from().orElse("(none)"), c.to(),
                c.actor(), c.reason());
        JsonObject started = entry(c, CHANGE, c.reason()).put("phase", "started").put("type", c.kind().name())
                .put("from", c.from().orElse(null)).put("to", c.to()).put("forced", c.forced()).put("reason", c.reason())
                .put("steps", new JsonArray(c.steps().stream().map(Enum::name).toList()))
                .put("primary_position", s.lastPrimaryPosition);
        return act.journal(term, started).compose(v -> runFrom(s, c, 0, Set.of(), term), err -> notJournaled(s, c, err));
    }

    /**
     * Continues a change a previous run journaled as started and did not finish. What the cluster is
     * follows from the journal, never from before the change: once {@code PROMOTE} is done, {@code to}
     * is the primary (and no stray), whether or not a later step ran.
     *
     * @param primaryPosition the last primary position read before the change, as journaled (-1: unknown)
     */
    Future<Void> resume(ClusterState s, RoleChange c, Set<Step> done, long primaryPosition, Term term) {
        s.running = Optional.of(c);
        ChangeProgress progress = new ChangeProgress(c, clock.wallTime());
        done.forEach(progress::doneBefore);
        s.lastChange = Optional.of(progress);
        s.primary = done.contains(Step.PROMOTE) ? Optional.of(c.to()) : c.from();
        if (s.lastPrimaryPosition < 0) {
            s.lastPrimaryPosition = primaryPosition;
        }
        if (done.contains(Step.WITHDRAW_WRITE_NAME)) {
            s.writeTo = "";
        }
        log.warn("ROLE_CHANGE {} of {} was interrupted (steps done: {}); resuming under {}", c.id(), c.cluster(), done, term.describe());
        return act.journal(term, entry(c, CHANGE, "resuming after a restart or a change of leader, under "
                + term.describe() + "; steps done: " + done).put("phase", "resumed"))
                .compose(v -> runFrom(s, c, 0, done, term), err -> notJournaled(s, c, err));
    }

    /** Nothing runs that could not be journaled first. */
    private Future<Void> notJournaled(ClusterState s, RoleChange c, Throwable err) {
        s.running = Optional.empty();
        s.lastChange.ifPresent(p -> p.end("not run: the journal refused it: " + err.getMessage(), clock.wallTime()));
        log.error("ROLE_CHANGE {} of {} not run: the journal refused it: {}", c.id(), c.cluster(), err.getMessage());
        return Future.failedFuture(err);
    }

    private Future<Void> runFrom(ClusterState s, RoleChange c, int i, Set<Step> done, Term term) {
        if (i == c.steps().size()) {
            return finish(s, c, term);
        }
        Step step = c.steps().get(i);
        if (done.contains(step)) {
            return runFrom(s, c, i + 1, done, term);
        }
        return act.journal(term, entry(c, STEP, step + " started").put("step", step.name()).put("phase", "started"))
                .onSuccess(v -> progress(s, step, "running", ""))
                .compose(v -> gate.at(c, step, StepGate.Boundary.STARTED))
                .compose(v -> step(s, c, step, term))
                .compose(detail -> gate.at(c, step, StepGate.Boundary.RAN).map(detail))
                .compose(detail -> {
                    log.info("ROLE_STEP {} {} {}: {}", c.id(), c.cluster(), step, detail);
                    progress(s, step, "done", detail);
                    return act.journal(term, entry(c, STEP, detail).put("step", step.name()).put("phase", "done"));
                })
                .compose(v -> gate.at(c, step, StepGate.Boundary.DONE))
                .compose(v -> runFrom(s, c, i + 1, done, term), err -> abort(s, c, step, err, term));
    }

    private Future<String> step(ClusterState s, RoleChange c, Step step, Term term) {
        DatabaseMember to = s.member(c.to());
        Optional<DatabaseMember> from = c.from().map(s::member);
        return switch (step) {
            case WITHDRAW_WRITE_NAME -> act.publishWriteName(term, List.of(new DnsChange(s.config.writeName(), s.config.ttl(), List.of())),
                    c.id() + " " + step).map(v -> {
                s.writeTo = "";
                return "write name " + s.config.writeName() + " withdrawn";
            });
            case FENCE_OLD_PRIMARY -> from.map(m -> fence(s, m, clock.monotonicNanos() + confirmWait(s).toNanos(), term))
                    .orElse(Future.succeededFuture("no old primary to fence"));
            case BLOCK_WRITES -> act.fence(term, s.provider, from.orElseThrow()).map(v -> "writes blocked on " + from.get().id());
            case WAIT_CATCH_UP -> from.map(m -> catchUp(s, c, m, to, clock.monotonicNanos() + s.config.catchUpTimeout().toNanos()))
                    .orElse(Future.succeededFuture("no old primary to catch up with"));
            case PROMOTE -> act.promote(term, s.provider, to, PROMOTE_WAIT).map(v -> {
                s.primary = Optional.of(to.id());
                s.lastPrimaryPosition = -1;
                return to.id() + " promoted and writable";
            });
            case REPOINT_REPLICAS -> repoint(s, c, to, term);
            case PUBLISH_WRITE_NAME -> act.publishWriteName(term, List.of(new DnsChange(s.config.writeName(), s.config.ttl(),
                    List.of(new RecordSet(to.region(), 1, List.of(to.host()))))), c.id() + " " + step).map(v -> {
                s.writeTo = to.id();
                return "write name " + s.config.writeName() + " -> " + to.host() + " (" + to.region() + ")";
            });
        };
    }

    /**
     * How long a fence that fails waits for the old primary's reachability to be judged (after a
     * restart nothing is known yet): the rounds that {@code fall} needs, two more, and two timeouts.
     */
    static Duration confirmWait(ClusterState s) {
        return s.config.interval().multipliedBy(s.config.fall() + 2L).plus(s.config.timeout().multipliedBy(2));
    }

    /**
     * The database's own fence and the fencing command, when configured. Either one succeeding fences;
     * with neither, promotion goes on only for an old primary the quorum confirms unreachable, if allowed.
     * While its reachability is not judged yet (a resume right after a restart), the fence is tried again
     * every round until {@code deadline}: the same rule as the first attempt, not a guess.
     */
    private Future<String> fence(ClusterState s, DatabaseMember old, long deadline, Term term) {
        if (!act.current(term)) {
            return Future.failedFuture(new io.meridian.coord.StaleTermException(term, "not fencing " + old.id() + ": this daemon no longer acts under it"));
        }
        Future<String> db = act.fence(term, s.provider, old).map(v -> old.id() + " fenced (refuses writes)");
        Future<String> command = s.config.fenceCommand().isEmpty() ? Future.failedFuture("no fence command configured")
                : act.fenceCommand(term, s.config.fenceCommand(), old, s.config.fenceTimeout());
        return Future.join(db, command).transform(ar -> {
            List<String> did = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            for (Future<String> f : List.of(db, command)) {
                if (f.succeeded()) {
                    did.add(f.result());
                } else if (!"no fence command configured".equals(f.cause().getMessage())) {
                    failed.add(f.cause().getMessage());
                }
            }
            if (!did.isEmpty()) {
                return Future.succeededFuture(String.join("; ", did) + (failed.isEmpty() ? "" : " (also: " + String.join("; ", failed) + ")"));
            }
            TargetState state = verdict.apply(old.id());
            boolean down = state == TargetState.DOWN;
            if (state == TargetState.UNKNOWN && clock.monotonicNanos() < deadline) {
                Promise<String> later = Promise.promise();
                vertx.setTimer(s.config.interval().toMillis(), t -> fence(s, old, deadline, term).onComplete(later));
                return later.future();
            }
            if (s.config.promoteUnfenced() && down) {
                return Future.succeededFuture("NOT fenced, promoting anyway: " + old.id() + " is unreachable, confirmed down by quorum ("
                        + String.join("; ", failed) + ")");
            }
            return Future.failedFuture("could not fence " + old.id() + " (" + String.join("; ", failed) + ") and "
                    + (down ? "promote-unfenced is false" : state == TargetState.UNKNOWN
                    ? "its reachability was still not judged after " + confirmWait(s).toMillis() + " ms" : "it is not confirmed unreachable")
                    + ": promotion aborted");
        });
    }

    /**
     * Waits until the candidate has replayed everything the write-blocked (switchover) or fenced
     * (failover) primary has. A switchover that does not catch up in time aborts; a failover goes on
     * at once when the old primary cannot be reached, and at the deadline with what the candidate has.
     */
    private Future<String> catchUp(ClusterState s, RoleChange c, DatabaseMember from, DatabaseMember to, long deadline) {
        java.time.Instant now = clock.wallTime();
        boolean failover = c.kind() == RoleChange.Kind.FAILOVER;
        return Future.all(s.provider.observe(from, now), s.provider.observe(to, now)).compose(both -> {
            MemberStatus p = both.resultAt(0);
            MemberStatus r = both.resultAt(1);
            if (p.reachable() && r.reachable() && r.position() >= p.position() && p.position() >= 0) {
                return Future.succeededFuture(to.id() + " caught up at position " + r.position());
            }
            if (failover && !p.reachable()) {
                return Future.succeededFuture("old primary " + from.id() + " cannot be reached: nothing more to replay from it");
            }
            if (clock.monotonicNanos() >= deadline) {
                String where = " within " + s.config.catchUpTimeout().toMillis() + " ms (at " + r.position() + ", primary at " + p.position() + ")";
                return failover ? Future.succeededFuture(to.id() + " did not catch up" + where + ": promoting it with what it has")
                        : Future.failedFuture(to.id() + " did not catch up" + where);
            }
            Promise<String> later = Promise.promise();
            vertx.setTimer(100, t -> catchUp(s, c, from, to, deadline).onComplete(later));
            return later.future();
        });
    }

    /** Every other member follows the new primary where it can; what cannot be done is said, and never fails the change. */
    private Future<String> repoint(ClusterState s, RoleChange c, DatabaseMember to, Term term) {
        List<Future<String>> each = s.members.stream().filter(m -> !m.id().equals(to.id())).map(m ->
                act.repoint(term, s.provider, m, to, c.from().map(m.id()::equals).orElse(false))
                        .otherwise(err -> m.id() + " not repointed (" + err.getMessage() + "): repoint it when it returns")).toList();
        return Future.join(new ArrayList<>(each)).map(v -> each.isEmpty() ? "no other member"
                : String.join("; ", each.stream().map(Future::result).toList()));
    }

    private Future<Void> finish(ClusterState s, RoleChange c, Term term) {
        s.running = Optional.empty();
        s.primary = Optional.of(c.to()); // also when PROMOTE was done by a run before a crash
        s.strayFenced.remove(c.to());
        if (c.kind() == RoleChange.Kind.FAILOVER && c.actor().equals("automation")) {
            s.cooldownUntil = Optional.of(clock.wallTime().plus(s.config.cooldown()));
        }
        log.info("ROLE_CHANGE {} {} of {} done: {} is the primary", c.id(), c.kind(), c.cluster(), c.to());
        s.lastChange.ifPresent(p -> p.end("done: " + c.to() + " is the primary", clock.wallTime()));
        return act.journal(term, entry(c, CHANGE, c.kind() + " done: " + c.to() + " is the primary").put("phase", "done")).mapEmpty();
    }

    private Future<Void> abort(ClusterState s, RoleChange c, Step step, Throwable err, Term term) {
        s.running = Optional.empty();
        String why = c.kind() + " of " + c.cluster() + " aborted at " + step + ": " + err.getMessage();
        log.error("ROLE_CHANGE {} {}", c.id(), why);
        progress(s, step, "failed", err.getMessage());
        s.lastChange.ifPresent(p -> p.end("aborted at " + step + ": " + err.getMessage(), clock.wallTime()));
        Future<Void> undo = Future.succeededFuture();
        if (c.kind() == RoleChange.Kind.SWITCHOVER && c.from().isPresent() && (step == Step.WAIT_CATCH_UP || step == Step.PROMOTE)) {
            undo = act.unfence(term, s.provider, s.member(c.from().get()))
                    .onFailure(e -> log.error("ROLE_CHANGE {}: could not give {} its writes back: {}", c.id(), c.from().get(), e.getMessage()));
        }
        return undo.otherwiseEmpty().compose(v -> act.journal(term, entry(c, CHANGE, why).put("phase", "aborted").put("step", step.name())))
                .compose(v -> Future.failedFuture(new IllegalStateException(why, err)));
    }

    private void progress(ClusterState s, Step step, String state, String detail) {
        s.lastChange.ifPresent(p -> p.step(step, state, detail, clock.wallTime()));
    }

    private JsonObject entry(RoleChange c, String kind, String message) {
        return new JsonObject().put("time", clock.wallTime().toString()).put("kind", kind).put("subject", c.cluster())
                .put("actor", c.actor()).put("message", message).put("change", c.id());
    }

    /** Rebuilds a change from its journaled start. */
    static RoleChange fromJournal(JsonObject started) {
        return new RoleChange(started.getString("change"), started.getString("subject"), RoleChange.Kind.valueOf(started.getString("type")),
                Optional.ofNullable(started.getString("from")), started.getString("to"), started.getBoolean("forced", false),
                started.getString("actor"), started.getString("reason", ""),
                started.getJsonArray("steps").stream().map(o -> Step.valueOf(o.toString())).toList());
    }
}
