package io.meridian.daemon;

import io.meridian.engine.Event;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * One log line per decision: "KIND message" for people, and in JSON logs the decision's fields as keys
 * (kind, and service, region, target or vantage, and reason), so a logging backend can filter on them.
 */
final class DecisionLog {

    private DecisionLog() {
    }

    static void write(Logger log, Event e) {
        Level level = switch (e.kind()) {
            case HELD, FAIL_OPEN, VANTAGE_PARTITIONED, VANTAGE_IMPAIRED, DRIFT, CAPACITY -> Level.WARN;
            default -> Level.INFO;
        };
        log.atLevel(level).addKeyValue("kind", e.kind().name()).addKeyValue(subjectKey(e.kind()), e.subject())
                .addKeyValue("reason", e.message()).log("{} {}", e.kind(), e.message());
    }

    /** What the event's subject names. */
    static String subjectKey(Event.Kind kind) {
        return switch (kind) {
            case TARGET_STATE -> "target";
            case REGION_STATE, SCALE -> "region";
            case VANTAGE_PARTITIONED, VANTAGE_RESTORED, VANTAGE_IMPAIRED, VANTAGE_RECOVERED -> "vantage";
            default -> "service";
        };
    }
}
