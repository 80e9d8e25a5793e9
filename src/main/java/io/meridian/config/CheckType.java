package io.meridian.config;

/** The kinds of health check a {@code healthchecks/*.yaml} file may declare. */
public enum CheckType {
    HTTP, HTTPS, TCP, DNS, TLS;

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
