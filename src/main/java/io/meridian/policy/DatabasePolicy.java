package io.meridian.policy;

import io.meridian.config.DatabaseClusterConfig;
import io.meridian.health.TargetState;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which member of a database cluster should be the writable primary. Pure: values in, a decision out.
 * <ul>
 *   <li>Only a primary confirmed DOWN by the health quorum (never one failed probe) triggers a failover.</li>
 *   <li>Candidates: replicas that are reachable, UP, in a candidate region (and in the old
 *       primary's region unless cross-region promotion is allowed); the highest position wins, then
 *       the region priority; one whose replay is paused comes last and is only taken by {@code force}.</li>
 *   <li>The candidate must be within the RPO of the last known primary position, in bytes and in
 *       replay age. Above it, automatic promotion is refused saying by how much; {@code force} (an
 *       operator with a reason) promotes anyway.</li>
 *   <li>Automatic failover waits out the cluster's cooldown and needs {@code automatic: true}.</li>
 * </ul>
 */
public final class DatabasePolicy {

    private DatabasePolicy() {
    }

    /**
     * @param primary          the member Meridian holds to be primary (empty: none known yet)
     * @param lastPrimaryPos   the primary's last position read while it was reachable (-1: unknown)
     * @param verdicts         health of every member (quorum, rise/fall) by member id
     * @param cooldownUntil    no automatic failover before this
     * @param operator         true when an operator asked for this failover (cooldown and {@code automatic} do not apply)
     * @param force            an operator accepted losing data beyond the RPO
     * @param target           the member an operator asked to promote, if any
     */
    public static RoleDecision decide(DatabaseClusterConfig cluster, Optional<MemberStatus> primary, long lastPrimaryPos,
                                      List<MemberStatus> members, Map<String, TargetState> verdicts, Optional<Instant> cooldownUntil,
                                      Instant now, boolean operator, boolean force, Optional<String> target) {
        if (primary.isEmpty() && !operator) {
            return RoleDecision.none("no primary known yet");
        }
        TargetState primaryState = primary.map(p -> verdicts.getOrDefault(p.memberId(), TargetState.UNKNOWN)).orElse(TargetState.DOWN);
        if (!operator) {
            if (primaryState != TargetState.DOWN) {
                return RoleDecision.none("primary " + primary.get().memberId() + " is " + primaryState);
            }
            if (!cluster.automatic()) {
                return RoleDecision.refused(-1, "primary " + primary.get().memberId() + " is down but cluster " + cluster.name()
                        + " is not automatic: an operator must fail it over");
            }
            if (cooldownUntil.isPresent() && now.isBefore(cooldownUntil.get())) {
                return RoleDecision.refused(-1, "primary " + primary.get().memberId() + " is down but cluster " + cluster.name()
                        + " is cooling down after a failover until " + cooldownUntil.get() + " (ack lifts it)");
            }
        }
        String oldRegion = primary.map(MemberStatus::region).orElse("");
        List<MemberStatus> candidates = members.stream()
                .filter(m -> primary.isEmpty() || !m.memberId().equals(primary.get().memberId()))
                .filter(m -> target.isEmpty() || target.get().equals(m.memberId()))
                .filter(m -> m.reachable() && m.role() == MemberStatus.Role.REPLICA)
                .filter(m -> verdicts.getOrDefault(m.memberId(), TargetState.UNKNOWN).serves())
                .filter(m -> cluster.candidates().contains(m.region()))
                .filter(m -> cluster.crossRegion() || primary.isEmpty() || m.region().equals(oldRegion))
                .sorted(Comparator.comparing((MemberStatus m) -> !m.replaying()).thenComparing(Comparator.comparingLong(MemberStatus::position).reversed())
                        .thenComparingInt(m -> cluster.priority(m.region())))
                .toList();
        String why = primary.map(p -> "primary " + p.memberId() + " is " + primaryState).orElse("no primary");
        if (candidates.isEmpty()) {
            return RoleDecision.refused(-1, why + " but no replica can take over: none is reachable, up and in an allowed region"
                    + target.map(t -> " (asked for " + t + ")").orElse("")
                    + (cluster.crossRegion() ? "" : " (cross-region promotion is off: only " + oldRegion + ")"));
        }
        MemberStatus best = candidates.get(0);
        long lag = best.lagBehind(lastPrimaryPos);
        Optional<Duration> age = best.replayAge();
        String over = "";
        if (!best.replaying()) {
            over = "the replay of " + best.memberId() + " is paused" + (lag <= cluster.rpoBytes() ? "" : "; it is " + lag
                    + " bytes behind the last primary position, " + (lag - cluster.rpoBytes()) + " bytes over the RPO of " + cluster.rpoBytes() + " bytes");
        } else if (lag < 0) {
            over = "the lag of " + best.memberId() + " is unknown (no primary position was ever read)";
        } else if (lag > cluster.rpoBytes()) {
            over = best.memberId() + " is " + lag + " bytes behind the last primary position, " + (lag - cluster.rpoBytes())
                    + " bytes over the RPO of " + cluster.rpoBytes() + " bytes";
        } else if (age.isPresent() && age.get().compareTo(cluster.rpoLag()) > 0) {
            over = best.memberId() + " replayed data is " + age.get().toMillis() + " ms old, " + age.get().minus(cluster.rpoLag()).toMillis()
                    + " ms over the RPO of " + cluster.rpoLag().toMillis() + " ms";
        }
        if (!over.isEmpty() && !force) {
            return RoleDecision.refused(lag, why + "; promotion refused: " + over + " (an operator can force it with a reason)");
        }
        return RoleDecision.promote(best.memberId(), lag, why + "; promoting " + best.memberId() + " in " + best.region()
                + " (" + (lag < 0 ? "lag unknown" : lag + " bytes behind") + (over.isEmpty() ? ", within the RPO" : ", FORCED beyond the RPO: " + over) + ")");
    }
}
