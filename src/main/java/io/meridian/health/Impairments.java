package io.meridian.health;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Vantages set aside for failures of their own host (no descriptor, no ephemeral port, no memory, a
 * stalled event loop). Such a failure is no evidence against the target, so no view moves; the vantage
 * is set aside at once, like a cut-off one, until {@link #LOCAL_ERROR_HOLD} passes without another.
 */
public final class Impairments {

    /** Why a vantage is set aside for its own failures, since when, and its latest local error. */
    public record Impairment(Instant since, Instant last, String why) {
    }

    /** A vantage counts again once this long has passed without a local error. */
    static final Duration LOCAL_ERROR_HOLD = Duration.ofSeconds(10);

    private final Map<String, Impairment> impaired = new TreeMap<>();

    /** @return true when this made {@code vantage} impaired (it was not); the change is added to {@code changes} */
    boolean report(String vantage, String why, Instant at, List<HealthChange> changes) {
        Impairment before = impaired.get(vantage);
        impaired.put(vantage, new Impairment(before == null ? at : before.since(), at, why));
        if (before == null) {
            changes.add(new HealthChange(at, HealthChange.Kind.VANTAGE_IMPAIRED, vantage, "vantage " + vantage
                    + " cannot probe for a local reason (" + why + "): its reports are set aside, no target state changes on them"));
        }
        return before == null;
    }

    /** Vantages whose hold has passed count again; each says so in {@code changes}. */
    void expire(Instant now, List<HealthChange> changes) {
        impaired.entrySet().removeIf(e -> {
            boolean over = !now.isBefore(e.getValue().last().plus(LOCAL_ERROR_HOLD));
            if (over) {
                changes.add(new HealthChange(now, HealthChange.Kind.VANTAGE_RECOVERED, e.getKey(), "vantage " + e.getKey()
                        + " has probed without a local error for " + LOCAL_ERROR_HOLD.toSeconds() + " s: its reports count again"));
            }
            return over;
        });
    }

    boolean has(String vantage) {
        return impaired.containsKey(vantage);
    }

    Map<String, Impairment> all() {
        return Map.copyOf(impaired);
    }
}
