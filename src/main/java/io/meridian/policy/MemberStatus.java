package io.meridian.policy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one database member said the last time it was asked.
 *
 * @param position    bytes into the replication stream: the primary's current position, a replica's
 *                    replayed position (PostgreSQL WAL LSN, Redis replication offset); -1 when unknown
 * @param replaying   a replica that applies what it receives (replay not paused); its link may be down when the primary is
 * @param replayAge   how old the newest data the replica has applied is (heartbeat age); empty if unknown
 * @param error       why it could not be asked (empty when reachable)
 */
public record MemberStatus(String memberId, String region, Role role, boolean reachable, long position, boolean replaying,
                           Optional<Duration> replayAge, String error, Instant at) {

    public enum Role { PRIMARY, REPLICA, UNKNOWN }

    /** Bytes behind {@code primaryPosition} (never below 0); -1 when either position is unknown. */
    public long lagBehind(long primaryPosition) {
        return primaryPosition < 0 || position < 0 ? -1 : Math.max(0, primaryPosition - position);
    }

    public static MemberStatus unreachable(String memberId, String region, String error, Instant at) {
        return new MemberStatus(memberId, region, Role.UNKNOWN, false, -1, false, Optional.empty(), error, at);
    }

    public static MemberStatus primary(String memberId, String region, long position, Instant at) {
        return new MemberStatus(memberId, region, Role.PRIMARY, true, position, false, Optional.empty(), "", at);
    }

    public static MemberStatus replica(String memberId, String region, long position, boolean replaying, Optional<Duration> replayAge, Instant at) {
        return new MemberStatus(memberId, region, Role.REPLICA, true, position, replaying, replayAge, "", at);
    }
}
