package io.meridian.policy;

import io.meridian.config.CapacityReportConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The capacity the plan uses for a region that reports its own ({@code capacity-report:}). It starts at
 * the declared capacity and follows the reports, moving at most {@code step} x declared on each one and
 * never below {@code floor} x declared: a region whose endpoints pass is never taken out of service by a
 * report alone, and one wrong report moves little traffic. A region reporting {@code ready: false} is
 * treated as reporting 0 (so it sinks to the floor) and fails the readiness check of planned changes. A
 * failed read keeps what is used; after {@link CapacityReportConfig#staleAfter} without a good report the
 * capacity used returns, by the same steps, to the declared one. Pure.
 *
 * @param used       what the placement uses now
 * @param reported   the last capacity read (empty: none yet, or the last read failed)
 * @param ready      the last report's {@code ready} (true until one says otherwise)
 * @param lastReport when the last good report arrived
 * @param detail     for operators: what the last read said
 */
public record CapacityUse(double declared, double used, Optional<Double> reported, boolean ready, Optional<Instant> lastReport,
                          String detail) {

    /** How {@link #detail} starts after a failed read. */
    public static final String FAILED = "report failed: ";

    /** One read of the URL: {@code read} false when it failed (then {@code detail} says why). */
    public record Report(boolean read, boolean ready, double capacity, String detail, Instant at) {
    }

    public static CapacityUse declared(double declared) {
        return new CapacityUse(declared, declared, Optional.empty(), true, Optional.empty(), "no report yet: the declared capacity");
    }

    /** After {@code r}, under {@code c}. */
    public CapacityUse next(Report r, CapacityReportConfig c) {
        if (!r.read()) {
            boolean stale = lastReport.map(t -> Duration.between(t, r.at()).compareTo(c.staleAfter()) >= 0).orElse(true);
            double to = stale ? towards(declared, c) : used;
            return new CapacityUse(declared, to, Optional.empty(), stale || ready, lastReport, FAILED + r.detail()
                    + (stale ? (lastReport.isEmpty() ? "; the declared capacity" : "; none good for " + c.staleAfter().toSeconds()
                    + " s: returning to the declared capacity") : "; keeping " + LoadShares.number(used)));
        }
        double wanted = r.ready() ? r.capacity() : 0;
        double to = towards(wanted, c);
        String why = (r.ready() ? "reports " + LoadShares.number(r.capacity()) : "reports not ready")
                + (to == wanted ? "" : to == floor(c) && wanted < to ? "; held at the floor " + LoadShares.number(to)
                + " while its endpoints pass" : "; using " + LoadShares.number(to) + " (at most " + LoadShares.number(c.step() * declared)
                + " per report)");
        return new CapacityUse(declared, to, Optional.of(r.capacity()), r.ready(), Optional.of(r.at()), why);
    }

    /** {@code wanted}, within one step of what is used and not below the floor. */
    private double towards(double wanted, CapacityReportConfig c) {
        double step = c.step() * declared;
        double bounded = Math.max(used - step, Math.min(used + step, wanted));
        return Math.max(floor(c), bounded);
    }

    private double floor(CapacityReportConfig c) {
        return c.floor() * declared;
    }
}
