package io.meridian.health;

import java.time.Instant;
import java.util.Optional;

/**
 * What Meridian knows about one target: its state, the current run of equal results and the last
 * observation. Immutable; {@link #observe} returns the next value and the transition, if any.
 *
 * <pre>{@code
 * HealthStep step = health.observe(observation, check.rise(), check.fall());
 * if (step.transition().changed()) log.info(step.transition().reason());
 * }</pre>
 *
 * @param successes consecutive successes ending with the last observation (0 after a failure)
 * @param failures  consecutive failures ending with the last observation (0 after a success)
 * @param since     when the target entered {@code state}
 */
public record TargetHealth(String targetId, TargetState state, int successes, int failures, Instant since,
                           Optional<Observation> last) {

    public static TargetHealth initial(String targetId, Instant now) {
        return new TargetHealth(targetId, TargetState.UNKNOWN, 0, 0, now, Optional.empty());
    }

    /** The next health after one more observation: UP after {@code rise} successes in a row, DOWN after {@code fall} failures. */
    public HealthStep observe(Observation o, int rise, int fall) {
        if (!o.targetId().equals(targetId)) {
            throw new IllegalArgumentException("observation of " + o.targetId() + " given to " + targetId);
        }
        int s = o.ok() ? successes + 1 : 0;
        int f = o.ok() ? 0 : failures + 1;
        TargetState next = state;
        String reason = "";
        if (o.ok() && state != TargetState.UP && s >= rise) {
            next = TargetState.UP;
            reason = s + " consecutive success" + (s == 1 ? "" : "es") + " from " + o.vantage()
                    + " (last in " + o.latency().toMillis() + " ms)";
        } else if (!o.ok() && state != TargetState.DOWN && f >= fall) {
            next = TargetState.DOWN;
            reason = f + " consecutive failure" + (f == 1 ? "" : "s") + " from " + o.vantage() + ": "
                    + o.reason() + " (" + o.message() + ")";
        }
        if (next == state) {
            return new HealthStep(new TargetHealth(targetId, state, s, f, since, Optional.of(o)), Transition.none());
        }
        return new HealthStep(new TargetHealth(targetId, next, s, f, o.at(), Optional.of(o)),
                Transition.of(state, next, reason));
    }

    public boolean isUp() {
        return state == TargetState.UP;
    }
}
