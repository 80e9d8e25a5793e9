package io.meridian.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The outcome of one probe. Failures are values, not exceptions.
 *
 * @param latency from the start of the probe to its outcome (to the timeout, for a timeout)
 * @param message human detail, e.g. {@code status 503} or {@code Connection refused}
 */
public record ProbeResult(ProbeTarget target, boolean ok, Duration latency, FailureReason reason, String message,
                          Instant at, List<Phase> phases) {

    /**
     * How far the probe had got at a point, counted from its start (as curl's {@code time_connect},
     * {@code time_appconnect}, {@code time_starttransfer}): {@code connect}, {@code tls}, {@code first_byte}.
     */
    public record Phase(String name, Duration at) {
    }

    public ProbeResult {
        phases = List.copyOf(phases);
    }

    public ProbeResult(ProbeTarget target, boolean ok, Duration latency, FailureReason reason, String message, Instant at) {
        this(target, ok, latency, reason, message, at, List.of());
    }

    /** The same result with the phases the probe went through. */
    public ProbeResult withPhases(List<Phase> phases) {
        return new ProbeResult(target, ok, latency, reason, message, at, phases);
    }

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

    /** Milliseconds from the start to each phase, then the total: {@code connect, first_byte, total}. */
    public java.util.Map<String, Long> breakdownMillis() {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        phases().forEach(p -> out.put(p.name(), p.at().toMillis()));
        out.put("total", latency().toMillis());
        return out;
    }
}
