package io.meridian.config;

/** The routing policies a service may use. */
public enum PolicyType {
    FAILOVER, WEIGHTED, LATENCY;

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
