package io.meridian.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one vantage point knows about one target: its state, the current runs of equal results and
 * the last observation. Immutable; {@link #observe} returns the next value and the transition, if any.
 * The last observation is kept as its fields (not the object) so that a daemon with hundreds of
 * thousands of views does not retain every observation.
 *
 * <pre>{@code
 * HealthStep step = health.observe(observation, rules);
 * if (step.transition().changed()) log.info(step.transition().reason());
 * }</pre>
 *
 * @param successes consecutive successes ending with the last observation (0 after a failure)
 * @param failures  consecutive failures ending with the last observation (0 after a success)
 * @param slow      consecutive successes slower than the latency threshold
 * @param fast      consecutive successes within the latency threshold
 * @param degraded  true while the target is slow by the check's latency rules
 * @param since     when the target entered {@code state}
 * @param lastAt    when the last observation was made; null before the first
 */
public record TargetHealth(String targetId, TargetState state, int successes, int failures, int slow, int fast,
                           boolean degraded, Instant since, Instant lastAt, String lastVantage, boolean lastOk,
                           Duration lastLatency, String lastReason, String lastMessage) {

    public TargetHealth {
        if (state == TargetState.DEGRADED) {
            throw new IllegalArgumentException("a vantage's view is UP with degraded=true, never DEGRADED");
        }
    }

    public static TargetHealth initial(String targetId, Instant now) {
        return new TargetHealth(targetId, TargetState.UNKNOWN, 0, 0, 0, 0, false, now, null, "", false, Duration.ZERO, "", "");
    }

    /** The last observation, if any. */
    public Optional<Observation> last() {
        return lastAt == null ? Optional.empty()
                : Optional.of(new Observation(targetId, lastVantage, lastOk, lastLatency, lastReason, lastMessage, lastAt));
    }

    /** The next health after one more observation, without latency rules. */
    public HealthStep observe(Observation o, int rise, int fall) {
        return observe(o, CheckRules.of(rise, fall));
    }

    /** UP after {@code rise} successes in a row, DOWN after {@code fall} failures; degraded by the latency rules. */
    public HealthStep observe(Observation o, CheckRules rules) {
        if (!o.targetId().equals(targetId)) {
            throw new IllegalArgumentException("observation of " + o.targetId() + " given to " + targetId);
        }
        int s = o.ok() ? successes + 1 : 0;
        int f = o.ok() ? 0 : failures + 1;
        boolean isSlow = o.ok() && rules.latencyThreshold().isPresent() && o.latency().compareTo(rules.latencyThreshold().get()) > 0;
        int sl = isSlow ? slow + 1 : 0;
        int fa = o.ok() && !isSlow ? fast + 1 : (o.ok() ? 0 : fast);
        boolean deg = degraded;
        if (!degraded && sl >= rules.latencyFall()) {
            deg = true;
        } else if (degraded && fa >= rules.latencyRise()) {
            deg = false;
        }
        TargetState next = state;
        String reason = "";
        if (o.ok() && state != TargetState.UP && s >= rules.rise()) {
            next = TargetState.UP;
            reason = s + " consecutive success" + (s == 1 ? "" : "es") + " from " + o.vantage()
                    + " (last in " + o.latency().toMillis() + " ms)";
        } else if (!o.ok() && state != TargetState.DOWN && f >= rules.fall()) {
            next = TargetState.DOWN;
            reason = f + " consecutive failure" + (f == 1 ? "" : "s") + " from " + o.vantage() + ": "
                    + o.reason() + " (" + o.message() + ")";
        }
        TargetHealth after = new TargetHealth(targetId, next, s, f, sl, fa, deg, next == state ? since : o.at(),
                o.at(), o.vantage(), o.ok(), o.latency(), o.reason(), o.message());
        return new HealthStep(after, next == state ? Transition.none() : Transition.of(state, next, reason));
    }

    /** A short account of the current run for verdict reasons: "3x connect_refused" or "2x ok". */
    public String run() {
        return lastAt == null ? "no result" : (lastOk ? successes : failures) + "x " + lastReason;
    }
}
