package io.meridian.health;

/**
 * Health of one target as Meridian believes it. A new target is UNKNOWN until enough results agree.
 * DEGRADED is up but slower than its check's latency threshold: it still serves, with less weight.
 */
public enum TargetState {
    UNKNOWN, UP, DEGRADED, DOWN;

    /** UP or DEGRADED: the target may receive traffic. */
    public boolean serves() {
        return this == UP || this == DEGRADED;
    }
}
