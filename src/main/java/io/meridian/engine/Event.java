package io.meridian.engine;

import java.time.Instant;

/**
 * Something the engine decided or noticed, for logs, the API's event history and the simulator.
 *
 * @param subject the target, region, vantage or service it is about
 */
public record Event(Instant at, Kind kind, String subject, String message) {

    public enum Kind {
        TARGET_STATE, REGION_STATE, VANTAGE_PARTITIONED, VANTAGE_RESTORED, VANTAGE_IMPAIRED, VANTAGE_RECOVERED, PUBLISH, FAILOVER, FAILBACK, DRAIN, MANUAL, DRIFT,
        FAIL_OPEN, HELD, PAUSED, OPERATOR, CAPACITY,
        /** a region's reported capacity moved, its reports failed or recovered, a ramp ended, a scale-up was asked */
        SCALE
    }

    @Override
    public String toString() {
        return at + " " + kind + " " + subject + ": " + message;
    }
}
