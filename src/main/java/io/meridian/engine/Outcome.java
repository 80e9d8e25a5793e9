package io.meridian.engine;

import io.meridian.plan.Plan;

/**
 * What became of a {@link Request}: accepted (and then the plan it leads to), or refused by a
 * safety rule with why. A dry run is accepted or refused exactly as the real one would be.
 *
 * @param standing the operator overrides that stand once it is taken (to persist before taking it)
 */
public record Outcome(boolean accepted, String message, Plan plan, java.util.List<ManualOverride> standing) {

    public Outcome {
        standing = java.util.List.copyOf(standing);
    }
}
