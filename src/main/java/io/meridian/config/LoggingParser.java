package io.meridian.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads {@code logging:} of meridian.yaml: {@code format: text | json}, {@code level}, {@code levels} per package. */
final class LoggingParser {

    private static final Set<String> KEYS = Set.of("format", "level", "levels");

    private LoggingParser() {
    }

    static LoggingConfig parse(MappingReader r) {
        r.allowOnly(KEYS);
        LoggingConfig d = LoggingConfig.defaults();
        boolean json = r.string("format", false).map(f -> {
            if (!f.equals("text") && !f.equals("json")) {
                r.problem(r.position("format"), r.field("format") + " was '" + f + "' but must be text or json");
            }
            return f.equals("json");
        }).orElse(d.json());
        String level = r.string("level", false).flatMap(l -> level(r, "level", l)).orElse(d.level());
        Map<String, String> levels = new LinkedHashMap<>();
        r.mapping("levels", false).ifPresent(m -> m.keys().forEach(logger ->
                m.string(logger, true).flatMap(l -> level(m, logger, l)).ifPresent(l -> levels.put(logger, l))));
        return new LoggingConfig(json, level, levels);
    }

    private static Optional<String> level(MappingReader r, String key, String value) {
        String l = value.toLowerCase(java.util.Locale.ROOT);
        if (!LoggingConfig.LEVELS.contains(l)) {
            r.problem(r.position(key), r.field(key) + " was '" + value + "' but must be one of " + String.join(", ", LoggingConfig.LEVELS));
            return Optional.empty();
        }
        return Optional.of(l);
    }
}
