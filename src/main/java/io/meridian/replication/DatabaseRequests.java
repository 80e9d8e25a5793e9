package io.meridian.replication;

import io.meridian.clock.Clock;
import io.meridian.coord.Term;
import io.meridian.plan.RoleChange;
import io.meridian.policy.MemberStatus;
import io.meridian.policy.RoleDecision;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An operator's requests about a database cluster: failover, switchover, lifting a cooldown. Checked
 * against the policy on what the last round saw; run (by the leader only) through the role change
 * runner, or, as a dry run, only described.
 */
public final class DatabaseRequests {

    /** How the manager's policy judges a cluster now. */
    @FunctionalInterface
    interface Decide {
        RoleDecision decide(ClusterState s, Instant now, boolean operator, boolean force, Optional<String> to);
    }

    private final Clock clock;
    private final Map<String, ClusterState> clusters;
    private final Supplier<Optional<Term>> acting;
    private final RoleChangeRunner runner;
    private final Decide decide;

    DatabaseRequests(Clock clock, Map<String, ClusterState> clusters, Supplier<Optional<Term>> acting, RoleChangeRunner runner, Decide decide) {
        this.clock = clock;
        this.clusters = clusters;
        this.acting = acting;
        this.runner = runner;
        this.decide = decide;
    }

    /**
     * An operator's failover: promote {@code to} (or the best candidate) even when the primary is up
     * or the cluster is manual; {@code force} also goes beyond the RPO. Refused when a change runs.
     */
    public DatabaseManager.Outcome failover(String cluster, Optional<String> to, boolean force, String actor, String reason, boolean dryRun) {
        ClusterState s = clusters.get(cluster);
        if (acting.get().isEmpty() && !dryRun) {
            return notLeading();
        }
        if (s.running.isPresent()) {
            return busy(s);
        }
        RoleDecision d = decide.decide(s, clock.wallTime(), true, force, to);
        if (d.kind() != RoleDecision.Kind.PROMOTE) {
            return new DatabaseManager.Outcome(false, true, d.reason(), Optional.empty());
        }
        RoleChange c = RoleChange.failover(DatabaseManager.newId(), cluster, s.primary, d.candidate().get(), force && d.reason().contains("FORCED"), actor,
                reason + " (" + d.reason() + ")");
        return begin(s, c, dryRun);
    }

    /** A planned switchover to {@code to}: the primary must be up; writes are blocked until {@code to} caught up. */
    public DatabaseManager.Outcome switchover(String cluster, String to, String actor, String reason, boolean dryRun) {
        ClusterState s = clusters.get(cluster);
        if (acting.get().isEmpty() && !dryRun) {
            return notLeading();
        }
        if (s.running.isPresent()) {
            return busy(s);
        }
        Optional<MemberStatus> primary = s.primaryStatus();
        if (primary.isEmpty() || !primary.get().reachable() || primary.get().role() != MemberStatus.Role.PRIMARY) {
            return new DatabaseManager.Outcome(false, true, "switchover needs a reachable primary; " + cluster + " has none (use failover)", Optional.empty());
        }
        MemberStatus target = s.statuses.get(to);
        if (target == null || !target.reachable() || target.role() != MemberStatus.Role.REPLICA || !target.replaying()) {
            return new DatabaseManager.Outcome(false, true, to + " is not a reachable, replaying replica of " + cluster, Optional.empty());
        }
        return begin(s, RoleChange.switchover(DatabaseManager.newId(), cluster, primary.get().memberId(), to, actor, reason), dryRun);
    }

    private static DatabaseManager.Outcome busy(ClusterState s) {
        return new DatabaseManager.Outcome(false, true, "a role change of " + s.config.name() + " is running: " + s.running.get().id(), Optional.empty());
    }

    private static DatabaseManager.Outcome notLeading() {
        return new DatabaseManager.Outcome(false, true, "this daemon does not lead: the leader runs role changes", Optional.empty());
    }

    private DatabaseManager.Outcome begin(ClusterState s, RoleChange c, boolean dryRun) {
        String plan = c.kind() + " of " + c.cluster() + ": " + c.from().orElse("(none)") + " -> " + c.to() + ", steps " + c.steps();
        Optional<Term> term = acting.get();
        if (!dryRun && term.isPresent()) {
            runner.start(s, c, term.get()); // an abort is journaled and logged by the runner
        }
        return new DatabaseManager.Outcome(true, false, (dryRun ? "would run " : "started ") + plan, Optional.of(c));
    }

    /** Lifts the cooldown after an automatic failover. */
    public DatabaseManager.Outcome ack(String cluster, String actor) {
        ClusterState s = clusters.get(cluster);
        boolean cooling = s.cooldownUntil.filter(clock.wallTime()::isBefore).isPresent();
        s.cooldownUntil = Optional.empty();
        return new DatabaseManager.Outcome(cooling, !cooling, cooling ? "cooldown of " + cluster + " lifted by " + actor : cluster + " is not cooling down", Optional.empty());
    }
}
