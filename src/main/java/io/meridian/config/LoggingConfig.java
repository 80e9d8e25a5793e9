package io.meridian.config;

import java.util.List;
import java.util.Map;

/**
 * {@code logging:} of meridian.yaml.
 *
 * @param json   JSON lines (timestamp, level, logger, message, and a decision's fields as keys) instead of text
 * @param level  the root level: trace, debug, info, warn, error or off
 * @param levels levels per logger or package, e.g. {@code io.meridian.probe: debug}
 */
public record LoggingConfig(boolean json, String level, Map<String, String> levels) {

    public static final List<String> LEVELS = List.of("trace", "debug", "info", "warn", "error", "off");

    public LoggingConfig {
        levels = Map.copyOf(levels);
    }

    public static LoggingConfig defaults() {
        return new LoggingConfig(false, "info", Map.of());
    }
}
