package io.meridian.replication;

import io.meridian.clock.Clock;
import io.meridian.config.DatabaseClusterConfig;
import io.meridian.config.DatabaseKind;
import io.meridian.config.DatabaseMember;
import io.meridian.config.MeridianConfig;
import io.meridian.dns.DnsChange;
import io.meridian.coord.Term;
import io.meridian.dns.RecordSet;
import io.meridian.health.CheckRules;
import io.meridian.health.HealthBook;
import io.meridian.health.HealthChange;
import io.meridian.health.Observation;
import io.meridian.health.TargetState;
import io.meridian.plan.RoleChange;
import io.meridian.policy.DatabasePolicy;
import io.meridian.policy.MemberStatus;
import io.meridian.policy.RoleDecision;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Watches every database cluster and moves its primary when the policy says so. Every
 * {@code interval} it asks each member for its role and position (a fresh connection each time),
 * feeds reachability to a {@link HealthBook} (rise/fall and quorum, as for any target), writes the
 * heartbeat on the primary, keeps the write name on the primary, fences any other member that
 * claims to be a primary, and asks {@link DatabasePolicy} whether to promote. Role changes run
 * through the {@link RoleChangeRunner}; an unfinished one found in the journal at start is resumed
 * before anything else is decided. Owned by the daemon's event loop: no locks.
 */
public final class DatabaseManager {

    private static final Logger log = LoggerFactory.getLogger(DatabaseManager.class);

    /** An operator's request about a cluster, answered with what was (or would be) done. */
    public record Outcome(boolean accepted, boolean conflict, String message, Optional<RoleChange> change) {
    }

    private final Vertx vertx;
    private final Clock clock;
    private final MeridianConfig config;
    private final RoleActions act;
    private final Supplier<Optional<Term>> acting;
    private final Function<JsonObject, Future<JsonObject>> history;
    private Runnable viewChanged = () -> { };
    private final HealthBook health;
    private final RoleChangeRunner runner;
    private final DatabaseRequests requests;
    private final Map<String, ClusterState> clusters = new LinkedHashMap<>();
    private final List<Long> timers = new ArrayList<>();

    /**
     * @param act     the one place that acts (fence, promote, repoint, the write name, the journal of steps)
     * @param acting  the term this daemon may act under now (empty: it does not lead, it only observes)
     * @param history this daemon's event history, for what it observes (no term needed to say what it sees)
     */
    public DatabaseManager(Vertx vertx, Clock clock, MeridianConfig config, Map<DatabaseKind, ReplicationProvider> providers,
                           RoleActions act, Supplier<Optional<Term>> acting, Function<JsonObject, Future<JsonObject>> history,
                           StepGate gate, MeterRegistry registry) {
        this.vertx = vertx;
        this.clock = clock;
        this.config = config;
        this.act = act;
        this.acting = acting;
        this.history = history;
        List<HealthBook.TargetSpec> specs = new ArrayList<>();
        for (DatabaseClusterConfig c : config.databases()) {
            List<DatabaseMember> members = config.members(c.name());
            clusters.put(c.name(), new ClusterState(c, members, providers.get(c.kind())));
            members.forEach(m -> specs.add(new HealthBook.TargetSpec(m.id(), m.region(), CheckRules.of(c.rise(), c.fall()))));
        }
        this.health = new HealthBook(config.health(), specs, clock.wallTime());
        this.runner = new RoleChangeRunner(vertx, clock, act, gate, id -> health.verdict(id).state());
        this.requests = new DatabaseRequests(clock, clusters, acting, runner, this::decide);
        clusters.values().forEach(s -> s.registerGauges(registry));
    }

    /**
     * Asks every member once (bounded by the cluster's timeout) and starts watching. A daemon that leads
     * first reads what the journal says of each cluster and resumes an interrupted role change on that
     * fresh observation; one that does not only observes until {@link #lead}.
     */
    public Future<Void> start() {
        if (clusters.isEmpty()) {
            return Future.succeededFuture();
        }
        Optional<Term> term = acting.get();
        Future<Optional<RoleHistory>> history = term.isPresent() ? readHistory().map(Optional::of) : Future.succeededFuture(Optional.empty());
        return history
                .compose(h -> Future.join(clusters.values().stream().map(this::observe).toList()).map(h))
                .onSuccess(h -> h.ifPresent(x -> resumeInterrupted(x, term.get())))
                .<Void>mapEmpty()
                .onComplete(ar -> {
                    if (ar.failed()) {
                        log.error("DB_ROLE the journal could not be read ({}): no interrupted role change is resumed", ar.cause().getMessage());
                    }
                    clusters.values().forEach(s -> {
                        if (!s.localError) {
                            afterRound(s, clock.wallTime());
                        }
                        timers.add(vertx.setPeriodic(s.config.interval().toMillis(), id -> round(s)));
                    });
                });
    }

    /**
     * This daemon now leads under {@code term}: what the journal says of each cluster (the last role
     * change, one a previous leader left unfinished) is read again and an interrupted change resumed
     * under the new term, so it finishes exactly once.
     */
    public Future<Void> lead(Term term) {
        if (clusters.isEmpty()) {
            return Future.succeededFuture();
        }
        // What this daemon believed as a follower is not evidence: the primary is decided again from the
        // journal and the next observation, and the write name published again.
        clusters.values().forEach(s -> {
            if (s.running.isEmpty()) {
                s.primary = Optional.empty();
                s.writeTo = "";
                s.strayFenced.clear();
            }
        });
        return readHistory().onSuccess(h -> resumeInterrupted(h, term)).<Void>mapEmpty()
                .onFailure(err -> log.error("DB_ROLE the journal could not be read ({}): no interrupted role change is resumed", err.getMessage()));
    }

    /** Called when this vantage's view of a member changes state (its report is written soon). */
    public void onViewChange(Runnable changed) {
        this.viewChanged = changed;
    }

    private Future<RoleHistory> readHistory() {
        return act.readJournal(e -> RoleChangeRunner.CHANGE.equals(e.getString("kind")) || RoleChangeRunner.STEP.equals(e.getString("kind")), 100_000)
                .map(RoleHistory::of);
    }

    public void stop() {
        timers.forEach(vertx::cancelTimer);
    }

    /** This vantage's view of every member, for the other daemons (reachability is judged by the same quorum). */
    public Map<String, io.meridian.health.ReportedView> report() {
        return health.report(config.vantage());
    }

    /** Another vantage's views of the members (empty: its lease expired, it no longer votes). */
    public void onReport(String vantage, Optional<Map<String, io.meridian.health.ReportedView>> views) {
        if (vantage.equals(config.vantage())) {
            return;
        }
        Instant now = clock.wallTime();
        if (views.isEmpty()) {
            health.forget(vantage);
            return;
        }
        views.get().forEach((id, v) -> {
            if (health.has(id)) {
                health.adopt(vantage, id, v, now);
            }
        });
    }

    private void resumeInterrupted(RoleHistory history, Term term) {
        clusters.forEach((name, s) -> {
            // A member the configuration no longer has cannot be the primary it names.
            s.journalPrimary = history.primary(name).filter(id -> s.members.stream().anyMatch(m -> m.id().equals(id)));
            if (s.running.isEmpty()) {
                history.interrupted(name).ifPresent(i -> runner.resume(s, i.change(), i.done(), i.primaryPosition(), term));
            }
        });
    }

    private void round(ClusterState s) {
        if (s.observing) {
            return;
        }
        Instant now = clock.wallTime();
        observe(s).onSuccess(askedAll -> {
            if (askedAll) {
                afterRound(s, now);
            }
        });
    }

    /** Asks every member and feeds the health book; true when every member could be asked. */
    private Future<Boolean> observe(ClusterState s) {
        s.observing = true;
        Instant now = clock.wallTime();
        List<Future<MemberStatus>> each = s.members.stream().map(m -> s.provider.observe(m, now)).toList();
        return Future.join(new ArrayList<>(each)).transform(ar -> {
            s.observing = false;
            List<String> local = new ArrayList<>();
            for (Future<MemberStatus> f : each) {
                if (f.failed()) {
                    local.add(f.cause().getMessage()); // this host could not ask: no evidence about the member
                    continue;
                }
                MemberStatus st = f.result();
                s.statuses.put(st.memberId(), st);
                boolean moved = health.observe(st.reachable()
                        ? Observation.success(st.memberId(), config.vantage(), Duration.ZERO, now)
                        : Observation.failure(st.memberId(), config.vantage(), Duration.ZERO, "unreachable", st.error(), now)).changed();
                if (moved) {
                    viewChanged.run();
                }
            }
            for (HealthChange c : health.evaluate(now)) {
                journalEvent("DB_MEMBER", s.config.name(), c.message());
            }
            if (!local.isEmpty()) {
                if (!s.localError) {
                    log.warn("DB_LOCAL {}: {} member(s) could not be asked for a local reason ({}); no decision this round",
                            s.config.name(), local.size(), local.get(0));
                }
                s.localError = true;
                return Future.succeededFuture(false);
            }
            if (s.localError) {
                log.info("DB_LOCAL {}: every member can be asked again", s.config.name());
                s.localError = false;
            }
            return Future.succeededFuture(true);
        });
    }

    private void afterRound(ClusterState s, Instant now) {
        if (s.running.isPresent()) {
            return; // the change in progress owns the cluster until it ends
        }
        if (s.primary.isEmpty()) {
            List<MemberStatus> primaries = s.statuses.values().stream().filter(m -> m.role() == MemberStatus.Role.PRIMARY).toList();
            Optional<String> fromJournal = s.journalPrimary.filter(j -> !s.journalOutdated(j, primaries));
            if (fromJournal.isPresent()) {
                // The journal names the primary: the last role change Meridian made. Others that claim it are strays,
                // but only once the observation agrees (see fenceStrayPrimaries).
                s.primary = fromJournal;
                journalEvent("DB_ROLE", s.config.name(), fromJournal.get() + " is the primary of " + s.config.name()
                        + " (the last role change in the journal made it so)");
            } else if (primaries.size() == 1) {
                s.primary = Optional.of(primaries.get(0).memberId());
                journalEvent("DB_ROLE", s.config.name(), primaries.get(0).memberId() + " is the primary of " + s.config.name());
            } else if (primaries.size() > 1) {
                // Which one holds the newest writes is not Meridian's to guess: say so (once) and touch nothing.
                if (!s.lastRefusal.equals("two primaries")) {
                    s.lastRefusal = "two primaries";
                    journalEvent("DB_REFUSED", s.config.name(), "members " + primaries.stream().map(MemberStatus::memberId).toList()
                            + " all claim to be the primary and Meridian chose none of them: fence all but one by hand");
                }
                return;
            }
        }
        Optional<Term> term = acting.get();
        if (term.isEmpty()) {
            return; // only the leader acts; this daemon observes
        }
        fenceStrayPrimaries(s, term.get());
        Optional<MemberStatus> primary = s.primaryStatus();
        if (primary.isPresent() && primary.get().reachable() && primary.get().role() == MemberStatus.Role.PRIMARY) {
            s.lastPrimaryPosition = primary.get().position();
            DatabaseMember p = s.member(primary.get().memberId());
            s.provider.heartbeat(p, now).onFailure(err -> log.debug("heartbeat: {}", err.getMessage()));
            publishWriteName(s, p, term.get());
        }
        RoleDecision d = decide(s, now, false, false, Optional.empty());
        if (d.kind() == RoleDecision.Kind.PROMOTE && now.isBefore(s.retryAfter)) {
            return; // the last attempt aborted (its event says why); do not hammer the databases
        }
        if (d.kind() == RoleDecision.Kind.PROMOTE) {
            s.lastRefusal = "";
            RoleChange c = RoleChange.failover(newId(), s.config.name(), s.primary, d.candidate().get(), false, "automation", d.reason());
            runner.start(s, c, term.get()).onFailure(err -> s.retryAfter = clock.wallTime().plus(retryPause(s.config)));
        } else if (d.kind() == RoleDecision.Kind.REFUSED) {
            // Said once, and again when the reason changes in kind (not in every byte of lag).
            String key = d.reason().replaceAll("[0-9]+", "#");
            if (!key.equals(s.lastRefusal)) {
                s.lastRefusal = key;
                journalEvent("DB_REFUSED", s.config.name(), d.reason());
            }
        } else {
            s.lastRefusal = "";
        }
    }

    /**
     * A member that says it is a primary but is not the one Meridian chose is fenced (and, where possible,
     * made a replica) — only while the chosen one is seen being the primary: the journal and the
     * observation must agree before anything is fenced.
     */
    private void fenceStrayPrimaries(ClusterState s, Term term) {
        if (s.primary.isEmpty()) {
            return;
        }
        MemberStatus chosenStatus = s.statuses.get(s.primary.get());
        if (chosenStatus == null || !chosenStatus.reachable() || chosenStatus.role() != MemberStatus.Role.PRIMARY) {
            return;
        }
        DatabaseMember chosen = s.member(s.primary.get());
        for (MemberStatus st : s.statuses.values()) {
            if (st.reachable() && st.role() == MemberStatus.Role.PRIMARY && !st.memberId().equals(chosen.id())) {
                if (s.strayFenced.add(st.memberId())) {
                    DatabaseMember stray = s.member(st.memberId());
                    String intent = st.memberId() + " claims to be a primary but " + chosen.id() + " is; fencing it and pointing it at " + chosen.id();
                    log.info("DB_FENCE {}: {}", s.config.name(), intent);
                    act.journal(term, event("DB_FENCE", s.config.name(), intent))
                            .compose(v -> act.fence(term, s.provider, stray)).compose(v -> act.repoint(term, s.provider, stray, chosen, true))
                            .onSuccess(what -> journalEvent("DB_FENCE", s.config.name(), what))
                            .onFailure(err -> {
                                s.strayFenced.remove(st.memberId());
                                journalEvent("DB_FENCE", s.config.name(), "could not fence " + st.memberId() + ": " + err.getMessage());
                            });
                }
            } else if (st.reachable() && st.role() == MemberStatus.Role.REPLICA) {
                s.strayFenced.remove(st.memberId());
            }
        }
    }

    private void publishWriteName(ClusterState s, DatabaseMember primary, Term term) {
        if (primary.id().equals(s.writeTo)) {
            return;
        }
        act.publishWriteName(term, List.of(new DnsChange(s.config.writeName(), s.config.ttl(), List.of(new RecordSet(primary.region(), 1,
                        List.of(primary.host()))))), "the write name follows the primary " + primary.id())
                .onSuccess(v -> {
                    s.writeTo = primary.id();
                    journalEvent("DB_ROLE", s.config.name(), "write name " + s.config.writeName() + " -> " + primary.host() + " (" + primary.id() + ")");
                })
                .onFailure(err -> log.error("DB_ROLE write name {} not published: {}", s.config.writeName(), err.getMessage()));
    }

    /** What the policy says of the cluster now, from what the last round saw. */
    RoleDecision decide(ClusterState s, Instant now, boolean operator, boolean force, Optional<String> to) {
        return DatabasePolicy.decide(s.config, s.primaryStatus(), s.lastPrimaryPosition, List.copyOf(s.statuses.values()), verdicts(s),
                s.cooldownUntil, now, operator, force, to);
    }

    /** An operator's failover, switchover or ack. */
    public DatabaseRequests requests() {
        return requests;
    }

    public boolean has(String cluster) {
        return clusters.containsKey(cluster);
    }

    /** Role, position, lag and health of every member, for {@code /v1/status} and {@code /v1/databases}. */
    public JsonArray status() {
        JsonArray out = new JsonArray();
        clusters.values().forEach(s -> out.add(s.toJson(id -> health.verdict(id).state())));
        return out;
    }

    /** Between two automatic attempts after an abort: ten rounds, at least five seconds. */
    static Duration retryPause(DatabaseClusterConfig c) {
        Duration tenRounds = c.interval().multipliedBy(10);
        return tenRounds.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : tenRounds;
    }

    private Map<String, TargetState> verdicts(ClusterState s) {
        Map<String, TargetState> v = new HashMap<>();
        s.members.forEach(m -> v.put(m.id(), health.verdict(m.id()).state()));
        return v;
    }

    /** What this daemon observed, in its own history (no term: saying what it sees is not acting). */
    private void journalEvent(String kind, String cluster, String message) {
        log.info("{} {}: {}", kind, cluster, message);
        history.apply(event(kind, cluster, message));
    }

    private JsonObject event(String kind, String cluster, String message) {
        return new JsonObject().put("time", clock.wallTime().toString()).put("kind", kind).put("subject", cluster)
                .put("actor", "automation").put("message", message);
    }

    static String newId() {
        return "rc-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
