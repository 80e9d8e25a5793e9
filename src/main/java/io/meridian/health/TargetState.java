package io.meridian.health;

/** Health of one target as Meridian believes it. A new target is UNKNOWN until rise or fall results agree. */
public enum TargetState {
    UNKNOWN, UP, DOWN
}
