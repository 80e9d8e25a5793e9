package io.meridian.health;

import java.time.Duration;
import java.time.Instant;

/**
 * One probe result as the health stage sees it.
 *
 * @param reason  stable reason code: {@code ok} on success, else e.g. {@code connect_refused}, {@code status}
 * @param message human detail, e.g. {@code status 503}
 */
public record Observation(String targetId, String vantage, boolean ok, Duration latency, String reason,
                          String message, Instant at) {

    public static Observation success(String targetId, String vantage, Duration latency, Instant at) {
        return new Observation(targetId, vantage, true, latency, "ok", "ok", at);
    }

    public static Observation failure(String targetId, String vantage, Duration latency, String reason,
                                      String message, Instant at) {
        return new Observation(targetId, vantage, false, latency, reason, message, at);
    }
}
