package io.meridian.config;

/** The databases whose replication roles Meridian can move. */
public enum DatabaseKind {
    POSTGRES, REDIS;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
