package io.meridian.health;

import java.time.Instant;

/**
 * The state of one target as all vantage points together decide it.
 *
 * @param votes       how the fresh vantage reports stood at the last evaluation
 * @param reason      why it is in {@code state}, naming the vantages and their results
 * @param lastFailure reason code of the most recent failure seen by a voting vantage, or empty
 */
public record TargetVerdict(String targetId, String region, TargetState state, Instant since, Votes votes,
                            String reason, String lastFailure) {

    public static TargetVerdict unknown(String targetId, String region, Instant now) {
        return new TargetVerdict(targetId, region, TargetState.UNKNOWN, now, Votes.NONE, "no results yet", "");
    }

    TargetVerdict with(Votes v, String failure) {
        return v.equals(votes) && failure.equals(lastFailure) ? this
                : new TargetVerdict(targetId, region, state, since, v, reason, failure);
    }
}
