package io.meridian.replication;

import io.meridian.clock.Clock;
import io.meridian.config.DatabaseClusterConfig;
import io.meridian.config.DatabaseKind;
import io.meridian.config.DatabaseMember;
import io.meridian.config.MeridianConfig;
import io.meridian.dns.DnsChange;
import io.meridian.dns.DnsProvider;
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
import io.micrometer.core.instrument.Gauge;
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
    private final DnsProvider dns;
    private final RoleJournal journal;
    private final HealthBook health;
    private final RoleChangeRunner runner;
    private final Map<String, ClusterState> clusters = new LinkedHashMap<>();
    private final List<Long> timers = new ArrayList<>();

    public DatabaseManager(Vertx vertx, Clock clock, MeridianConfig config, Map<DatabaseKind, ReplicationProvider> providers,
                           DnsProvider dns, RoleJournal journal, StepGate gate, MeterRegistry registry) {
        this.vertx = vertx;
        this.clock = clock;
        this.config = config;
        this.dns = dns;
        this.journal = journal;
        List<HealthBook.TargetSpec> specs = new ArrayList<>();
        for (DatabaseClusterConfig c : config.databases()) {
            List<DatabaseMember> members = config.members(c.name());
            clusters.put(c.name(), new ClusterState(c, members, providers.get(c.kind())));
            members.forEach(m -> specs.add(new HealthBook.TargetSpec(m.id(), m.region(), CheckRules.of(c.rise(), c.fall()))));
        }
        this.health = new HealthBook(config.health(), specs, clock.wallTime());
        this.runner = new RoleChangeRunner(vertx, clock, dns, journal, gate, id -> health.verdict(id).state());
        clusters.values().forEach(s -> s.members.forEach(m -> {
            Gauge.builder("meridian.db.role", () -> s.roleValue(m)).description("1 primary, 0 replica, -1 unknown or unreachable")
                    .tags("cluster", s.config.name(), "member", m.id()).register(registry);
            Gauge.builder("meridian.db.lag.bytes", () -> s.lag(m)).description("bytes behind the last known primary position (-1 unknown)")
                    .tags("cluster", s.config.name(), "member", m.id()).register(registry);
        }));
    }

    /**
     * Reads what the journal says of each cluster, asks every member once (bounded by the cluster's
     * timeout), resumes an interrupted role change on that fresh observation, then starts watching.
     */
    public Future<Void> start() {
        if (clusters.isEmpty()) {
            return Future.succeededFuture();
        }
        return journal.read(e -> RoleChangeRunner.CHANGE.equals(e.getString("kind")) || RoleChangeRunner.STEP.equals(e.getString("kind")), 100_000)
                .map(RoleHistory::of)
                .compose(history -> Future.join(clusters.values().stream().map(this::observe).toList()).map(history))
                .onSuccess(this::resumeInterrupted)
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

    public void stop() {
        timers.forEach(vertx::cancelTimer);
    }

    private void resumeInterrupted(RoleHistory history) {
        clusters.forEach((name, s) -> {
            // A member the configuration no longer has cannot be the primary it names.
            s.journalPrimary = history.primary(name).filter(id -> s.members.stream().anyMatch(m -> m.id().equals(id)));
            history.interrupted(name).ifPresent(i -> runner.resume(s, i.change(), i.done(), i.primaryPosition()));
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
                health.observe(st.reachable()
                        ? Observation.success(st.memberId(), config.vantage(), Duration.ZERO, now)
                        : Observation.failure(st.memberId(), config.vantage(), Duration.ZERO, "unreachable", st.error(), now));
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
            Optional<String> fromJournal = s.journalPrimary.filter(j -> !journalOutdated(s, j, primaries));
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
        fenceStrayPrimaries(s);
        Optional<MemberStatus> primary = s.primaryStatus();
        if (primary.isPresent() && primary.get().reachable() && primary.get().role() == MemberStatus.Role.PRIMARY) {
            s.lastPrimaryPosition = primary.get().position();
            DatabaseMember p = s.member(primary.get().memberId());
            s.provider.heartbeat(p, now).onFailure(err -> log.debug("heartbeat: {}", err.getMessage()));
            publishWriteName(s, p);
        }
        RoleDecision d = decide(s, now, false, false, Optional.empty());
        if (d.kind() == RoleDecision.Kind.PROMOTE && now.isBefore(s.retryAfter)) {
            return; // the last attempt aborted (its event says why); do not hammer the databases
        }
        if (d.kind() == RoleDecision.Kind.PROMOTE) {
            s.lastRefusal = "";
            RoleChange c = RoleChange.failover(newId(), s.config.name(), s.primary, d.candidate().get(), false, "automation", d.reason());
            runner.start(s, c).onFailure(err -> s.retryAfter = clock.wallTime().plus(retryPause(s.config)));
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
     * The journal's primary {@code j} no longer holds when it was seen, reachable, following as a replica
     * while exactly one other member is the primary: roles were moved outside Meridian. An unreachable
     * {@code j} still holds: the other claimant may be an old primary that came back with an old history.
     */
    private static boolean journalOutdated(ClusterState s, String j, List<MemberStatus> primaries) {
        MemberStatus st = s.statuses.get(j);
        return st != null && st.reachable() && st.role() == MemberStatus.Role.REPLICA && primaries.size() == 1;
    }

    /**
     * A member that says it is a primary but is not the one Meridian chose is fenced (and, where possible,
     * made a replica) — only while the chosen one is seen being the primary: the journal and the
     * observation must agree before anything is fenced.
     */
    private void fenceStrayPrimaries(ClusterState s) {
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
                    journalEvent("DB_FENCE", s.config.name(), st.memberId() + " claims to be a primary but " + chosen.id()
                            + " is; fencing it and pointing it at " + chosen.id());
                    s.provider.fence(stray).compose(v -> s.provider.repoint(stray, chosen, true))
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

    private void publishWriteName(ClusterState s, DatabaseMember primary) {
        if (primary.id().equals(s.writeTo)) {
            return;
        }
        dns.apply(List.of(new DnsChange(s.config.writeName(), s.config.ttl(), List.of(new RecordSet(primary.region(), 1, List.of(primary.host()))))))
                .onSuccess(v -> {
                    s.writeTo = primary.id();
                    journalEvent("DB_ROLE", s.config.name(), "write name " + s.config.writeName() + " -> " + primary.host() + " (" + primary.id() + ")");
                })
                .onFailure(err -> log.error("DB_ROLE write name {} not published: {}", s.config.writeName(), err.getMessage()));
    }

    /**
     * An operator's failover: promote {@code to} (or the best candidate) even when the primary is up
     * or the cluster is manual; {@code force} also goes beyond the RPO. Refused when a change runs.
     */
    public Outcome failover(String cluster, Optional<String> to, boolean force, String actor, String reason, boolean dryRun) {
        ClusterState s = clusters.get(cluster);
        if (s.running.isPresent()) {
            return busy(s);
        }
        RoleDecision d = decide(s, clock.wallTime(), true, force, to);
        if (d.kind() != RoleDecision.Kind.PROMOTE) {
            return new Outcome(false, true, d.reason(), Optional.empty());
        }
        RoleChange c = RoleChange.failover(newId(), cluster, s.primary, d.candidate().get(), force && d.reason().contains("FORCED"), actor,
                reason + " (" + d.reason() + ")");
        return begin(s, c, dryRun);
    }

    /** A planned switchover to {@code to}: the primary must be up; writes are blocked until {@code to} caught up. */
    public Outcome switchover(String cluster, String to, String actor, String reason, boolean dryRun) {
        ClusterState s = clusters.get(cluster);
        if (s.running.isPresent()) {
            return busy(s);
        }
        Optional<MemberStatus> primary = s.primaryStatus();
        if (primary.isEmpty() || !primary.get().reachable() || primary.get().role() != MemberStatus.Role.PRIMARY) {
            return new Outcome(false, true, "switchover needs a reachable primary; " + cluster + " has none (use failover)", Optional.empty());
        }
        MemberStatus target = s.statuses.get(to);
        if (target == null || !target.reachable() || target.role() != MemberStatus.Role.REPLICA || !target.replaying()) {
            return new Outcome(false, true, to + " is not a reachable, replaying replica of " + cluster, Optional.empty());
        }
        return begin(s, RoleChange.switchover(newId(), cluster, primary.get().memberId(), to, actor, reason), dryRun);
    }

    /** What the policy says of the cluster now, from what the last round saw. */
    private RoleDecision decide(ClusterState s, Instant now, boolean operator, boolean force, Optional<String> to) {
        return DatabasePolicy.decide(s.config, s.primaryStatus(), s.lastPrimaryPosition, List.copyOf(s.statuses.values()), verdicts(s),
                s.cooldownUntil, now, operator, force, to);
    }

    private static Outcome busy(ClusterState s) {
        return new Outcome(false, true, "a role change of " + s.config.name() + " is running: " + s.running.get().id(), Optional.empty());
    }

    private Outcome begin(ClusterState s, RoleChange c, boolean dryRun) {
        String plan = c.kind() + " of " + c.cluster() + ": " + c.from().orElse("(none)") + " -> " + c.to() + ", steps " + c.steps();
        if (!dryRun) {
            runner.start(s, c); // an abort is journaled and logged by the runner
        }
        return new Outcome(true, false, (dryRun ? "would run " : "started ") + plan, Optional.of(c));
    }

    /** Lifts the cooldown after an automatic failover. */
    public Outcome ack(String cluster, String actor) {
        ClusterState s = clusters.get(cluster);
        boolean cooling = s.cooldownUntil.filter(clock.wallTime()::isBefore).isPresent();
        s.cooldownUntil = Optional.empty();
        return new Outcome(cooling, !cooling, cooling ? "cooldown of " + cluster + " lifted by " + actor : cluster + " is not cooling down", Optional.empty());
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

    private void journalEvent(String kind, String cluster, String message) {
        log.info("{} {}: {}", kind, cluster, message);
        journal.append(new JsonObject().put("time", clock.wallTime().toString()).put("kind", kind).put("subject", cluster)
                .put("actor", "automation").put("message", message));
    }

    private static String newId() {
        return "rc-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
