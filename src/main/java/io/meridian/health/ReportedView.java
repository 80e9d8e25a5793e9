package io.meridian.health;

import java.time.Duration;

/**
 * One vantage's view of one target as it reports it to the others: enough to vote, nothing of its
 * own clock (the receiver stamps it with when it arrived).
 *
 * @param state      UNKNOWN, UP or DOWN (a view is never DEGRADED: {@code degraded} says so)
 * @param run        consecutive equal results ending with the last one
 * @param reason     reason code of the last result ({@code ok}, {@code connect_refused} …)
 * @param ewmaMillis latency EWMA (NaN before the first success)
 */
public record ReportedView(TargetState state, boolean degraded, boolean lastOk, int run, String reason, String message,
                           double ewmaMillis, Duration latency) {

    public ReportedView {
        if (state == TargetState.DEGRADED) {
            throw new IllegalArgumentException("a reported view is UP with degraded=true, never DEGRADED");
        }
    }

    /** What {@code vantage} reports of {@code h}. */
    public static ReportedView of(TargetHealth h, double ewmaMillis) {
        return new ReportedView(h.state(), h.degraded(), h.lastOk(), h.lastOk() ? h.successes() : h.failures(), h.lastReason(),
                h.lastMessage(), ewmaMillis, h.lastLatency());
    }
}
