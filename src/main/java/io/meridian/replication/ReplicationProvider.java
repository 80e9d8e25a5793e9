package io.meridian.replication;

import io.meridian.config.DatabaseMember;
import io.meridian.policy.MemberStatus;
import io.meridian.probe.FailureClassifier;
import io.vertx.core.Future;

import java.time.Duration;
import java.time.Instant;

/**
 * Reads and changes the replication role of one kind of database. Every change is idempotent:
 * asking a primary to be promoted, or a fenced server to be fenced, succeeds without doing it twice.
 * Failures name the member, the operation and the database's own error (SQLSTATE, Redis error).
 */
public interface ReplicationProvider {

    /**
     * Role, position and lag of {@code member}; an unreachable member is a status, not a failure. It
     * fails only when this host could not ask (no descriptor, no port, no memory): that says nothing of the member.
     */
    Future<MemberStatus> observe(DatabaseMember member, Instant now);

    /** What {@link #observe} answers when asking failed with {@code err}. */
    static Future<MemberStatus> unreachableOrLocal(DatabaseMember m, Throwable err, Instant now) {
        return FailureClassifier.local(err) ? Future.failedFuture(err)
                : Future.succeededFuture(MemberStatus.unreachable(m.id(), m.region(), err.getMessage(), now));
    }

    /** Writes Meridian's heartbeat on the primary, so a replica's replay age is true even when the primary is idle. */
    Future<Void> heartbeat(DatabaseMember primary, Instant now);

    /** Makes {@code member} refuse writes from clients (it may stay a primary, read-only). */
    Future<Void> fence(DatabaseMember member);

    /** Lifts {@link #fence}: an aborted switchover gives the old primary its writes back. */
    Future<Void> unfence(DatabaseMember member);

    /** Promotes {@code member} to a writable primary and checks it is one. */
    Future<Void> promote(DatabaseMember member, Duration timeout);

    /**
     * Points {@code member} at {@code primary} where the database allows it; returns what was done,
     * or what the operator must do (PostgreSQL: rewind and restart an old primary).
     */
    Future<String> repoint(DatabaseMember member, DatabaseMember primary, boolean wasPrimary);
}
