package io.meridian.engine;

import io.meridian.plan.Plan;
import io.meridian.plan.Readiness;
import io.meridian.plan.ScaleRequests;

/**
 * What became of a {@link Request}: accepted (and then the plan it leads to), or refused by a
 * safety rule with why. A dry run is accepted or refused exactly as the real one would be.
 *
 * @param standing  the operator overrides that stand once it is taken (to persist before taking it)
 * @param readiness the checks of the regions the change sends more traffic to (a failed one refuses it unless forced)
 * @param asks      the regions whose scale hook is asked for more capacity once it is taken
 */
public record Outcome(boolean accepted, String message, Plan plan, java.util.List<ManualOverride> standing,
                      java.util.List<Readiness.Check> readiness, java.util.List<ScaleRequests.Ask> asks) {

    public Outcome {
        standing = java.util.List.copyOf(standing);
        readiness = java.util.List.copyOf(readiness);
        asks = java.util.List.copyOf(asks);
    }

    public Outcome(boolean accepted, String message, Plan plan, java.util.List<ManualOverride> standing,
                   java.util.List<Readiness.Check> readiness) {
        this(accepted, message, plan, standing, readiness, java.util.List.of());
    }

    public Outcome(boolean accepted, String message, Plan plan, java.util.List<ManualOverride> standing) {
        this(accepted, message, plan, standing, java.util.List.of());
    }
}
