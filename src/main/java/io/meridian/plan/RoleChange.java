package io.meridian.plan;

import java.util.List;
import java.util.Optional;

/**
 * One move of a database cluster's primary, as an ordered list of idempotent steps. The executor
 * journals each step before and after it runs, so a crash resumes at the first step not done.
 *
 * @param id      unique per change (it names the change in the journal)
 * @param from    the old primary (empty when none was known)
 * @param to      the member to promote
 * @param forced  an operator accepted losing data beyond the RPO
 */
public record RoleChange(String id, String cluster, Kind kind, Optional<String> from, String to, boolean forced, String actor,
                         String reason, List<Step> steps) {

    public enum Kind { FAILOVER, SWITCHOVER }

    public enum Step {
        /** Remove the write name, so no writer reaches the old primary through it. */
        WITHDRAW_WRITE_NAME,
        /** Make the old primary refuse writes (and run the fencing hook), when reachable. */
        FENCE_OLD_PRIMARY,
        /** Planned switchover: stop writes on the old primary... */
        BLOCK_WRITES,
        /**
         * ...and wait until the candidate has replayed everything. In a failover, only while the fenced
         * old primary is reachable, and a candidate still behind at the timeout is promoted anyway (the
         * RPO was checked when the failover was decided).
         */
        WAIT_CATCH_UP,
        /** Promote the candidate and verify it is writable. */
        PROMOTE,
        /** Point the other replicas (and a demoted old primary) at the new primary, where the database allows. */
        REPOINT_REPLICAS,
        /** Point the write name at the new primary. */
        PUBLISH_WRITE_NAME
    }

    public RoleChange {
        steps = List.copyOf(steps);
    }

    /**
     * A failover away from a failed primary: the order of the safety rules. When the old primary is still
     * reachable (an operator's failover), what it acknowledged before its fence is replayed first.
     */
    public static RoleChange failover(String id, String cluster, Optional<String> from, String to, boolean forced, String actor, String reason) {
        return new RoleChange(id, cluster, Kind.FAILOVER, from, to, forced, actor, reason,
                List.of(Step.WITHDRAW_WRITE_NAME, Step.FENCE_OLD_PRIMARY, Step.WAIT_CATCH_UP, Step.PROMOTE, Step.REPOINT_REPLICAS,
                        Step.PUBLISH_WRITE_NAME));
    }

    /** A planned switchover from a healthy primary: no write is lost. */
    public static RoleChange switchover(String id, String cluster, String from, String to, String actor, String reason) {
        return new RoleChange(id, cluster, Kind.SWITCHOVER, Optional.of(from), to, false, actor, reason,
                List.of(Step.WITHDRAW_WRITE_NAME, Step.BLOCK_WRITES, Step.WAIT_CATCH_UP, Step.PROMOTE, Step.REPOINT_REPLICAS,
                        Step.PUBLISH_WRITE_NAME));
    }
}
