package io.meridian.probe;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of one probe. Failures are values, not exceptions.
 *
 * @param latency from the start of the probe to its outcome (to the timeout, for a timeout)
 * @param message human detail, e.g. {@code status 503} or {@code Connection refused}
 */
public record ProbeResult(ProbeTarget target, boolean ok, Duration latency, FailureReason reason, String message,
                          Instant at) {

    public static ProbeResult success(ProbeTarget target, Duration latency, Instant at) {
        return new ProbeResult(target, true, latency, FailureReason.OK, "ok", at);
    }

    /** A success with a note for operators, e.g. a certificate that expires soon. */
    public static ProbeResult success(ProbeTarget target, Duration latency, Instant at, String note) {
        return new ProbeResult(target, true, latency, FailureReason.OK, note, at);
    }

    public static ProbeResult failure(ProbeTarget target, FailureReason reason, String message, Duration latency, Instant at) {
        if (reason == FailureReason.OK) {
            throw new IllegalArgumentException("a failure needs a failure reason, not OK");
        }
        return new ProbeResult(target, false, latency, reason, message, at);
    }
}
