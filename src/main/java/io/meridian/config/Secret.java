package io.meridian.config;

/** A password read from a file or an environment variable; never printed (logs, errors, toString). */
public record Secret(String value, String source) {

    public static final Secret NONE = new Secret("", "none");

    public boolean isEmpty() {
        return value.isEmpty();
    }

    @Override
    public String toString() {
        return "(secret from " + source + ")";
    }
}
