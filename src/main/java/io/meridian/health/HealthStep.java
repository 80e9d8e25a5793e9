package io.meridian.health;

/** The result of feeding one observation to a {@link TargetHealth}. */
public record HealthStep(TargetHealth health, Transition transition) {
}
