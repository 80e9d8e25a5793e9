package io.meridian.policy;

import java.util.Optional;

/**
 * What should happen to a database cluster's primary now, and why.
 *
 * @param candidate the member to promote (for {@link Kind#PROMOTE})
 * @param lagBytes  how far the candidate is behind the last known primary position (-1 when unknown)
 */
public record RoleDecision(Kind kind, Optional<String> candidate, long lagBytes, String reason) {

    public enum Kind {
        /** The primary is fine, or nothing can be decided yet. */
        NONE,
        /** Promote {@code candidate}. */
        PROMOTE,
        /** A promotion is needed but not allowed (RPO, no candidate, cooldown, manual cluster). */
        REFUSED
    }

    public static RoleDecision none(String reason) {
        return new RoleDecision(Kind.NONE, Optional.empty(), -1, reason);
    }

    public static RoleDecision promote(String candidate, long lagBytes, String reason) {
        return new RoleDecision(Kind.PROMOTE, Optional.of(candidate), lagBytes, reason);
    }

    public static RoleDecision refused(long lagBytes, String reason) {
        return new RoleDecision(Kind.REFUSED, Optional.empty(), lagBytes, reason);
    }
}
