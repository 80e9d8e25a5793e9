package io.meridian.health;

import java.time.Instant;

/**
 * Something the health stage decided: a target changed state, or a vantage was set aside (cut off, or
 * impaired by local errors) or taken back.
 */
public record HealthChange(Instant at, Kind kind, String subject, String message) {

    public enum Kind { TARGET_STATE, VANTAGE_PARTITIONED, VANTAGE_RESTORED, VANTAGE_IMPAIRED, VANTAGE_RECOVERED, HELD }
}
