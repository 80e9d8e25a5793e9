package io.meridian.config;

import java.util.List;

/**
 * What a reload did: taken ({@code changes} lists what it changed, maybe nothing), or refused with
 * every {@code problem} (a configuration error as {@code file:line:col: message}, a change that needs a
 * restart, an override that names what the new configuration removes); a refused reload changes nothing.
 */
public record ReloadOutcome(Kind kind, List<String> changes, List<String> problems) {

    public enum Kind {
        /** taken (or nothing to change) */
        APPLIED,
        /** the configuration does not load */
        INVALID,
        /** it loads, but cannot be taken while running */
        REFUSED
    }

    public ReloadOutcome {
        changes = List.copyOf(changes);
        problems = List.copyOf(problems);
    }

    public boolean applied() {
        return kind == Kind.APPLIED;
    }

    /** One line, for the log and the journal. */
    public String summary() {
        return switch (kind) {
            case APPLIED -> changes.isEmpty() ? "the configuration is unchanged" : changes.size() + " change(s): " + String.join("; ", changes);
            case INVALID -> "the new configuration has " + problems.size() + " problem(s), the running one stays: " + String.join("; ", problems);
            case REFUSED -> "the new configuration cannot be taken while running, the running one stays: " + String.join("; ", problems);
        };
    }
}
