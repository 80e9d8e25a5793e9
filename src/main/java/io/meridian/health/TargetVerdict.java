package io.meridian.health;

import java.time.Instant;

/**
 * The state of one target as all vantage points together decide it.
 *
 * @param votes  e.g. {@code 2 down, 1 up of 3 fresh vantages (quorum 2)}
 * @param reason why it is in {@code state}, naming the vantages and their results
 * @param lastFailure reason code of the most recent failure seen by a voting vantage, or empty
 */
public record TargetVerdict(String targetId, String region, TargetState state, Instant since, String votes,
                            String reason, String lastFailure) {

    public static TargetVerdict unknown(String targetId, String region, Instant now) {
        return new TargetVerdict(targetId, region, TargetState.UNKNOWN, now, "no results yet", "no results yet", "");
    }
}
