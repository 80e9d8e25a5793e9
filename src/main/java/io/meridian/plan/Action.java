package io.meridian.plan;

import io.meridian.policy.DesiredAnswers;

/**
 * Publish {@code answers} for one service. Idempotent: applying it twice leaves the same records.
 *
 * @param kind what the change means, for rate limits and the audit trail
 */
public record Action(String service, Kind kind, DesiredAnswers answers, String reason) {

    public enum Kind {
        /** first answers, weight steps, endpoint changes inside the same regions */
        PUBLISH,
        /** traffic leaves a region that is out of service (counts against the failover limit) */
        FAILOVER,
        /** traffic returns to a preferred region (after the failback hold) */
        FAILBACK,
        /** traffic leaves a region an operator drained */
        DRAIN,
        /** an operator's failover or failback: past the rate limits, applied even while automation is paused */
        MANUAL
    }

    public Action(String service, DesiredAnswers answers, String reason) {
        this(service, Kind.PUBLISH, answers, reason);
    }
}
