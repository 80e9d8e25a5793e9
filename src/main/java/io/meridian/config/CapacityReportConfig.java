package io.meridian.config;

import java.net.URI;
import java.time.Duration;

/**
 * {@code capacity-report:} of a region: a URL (an autoscaler's, say) answering JSON such as
 * {@code {"ready": true, "capacity": 1200}}, read every {@code interval}. What the plan uses follows
 * the reports within bounds, so that one wrong report cannot move much traffic.
 *
 * @param step  the most the capacity used may move on one report, as a share of the declared capacity
 * @param floor the least capacity used while the region's endpoints pass, as a share of the declared
 *              capacity: a report of 0 (or not ready) alone does not take a region out of service
 */
public record CapacityReportConfig(URI url, Duration interval, Duration timeout, double step, double floor) {

    /** A report older than this many intervals is stale: the capacity used returns to the declared one. */
    public static final int STALE_INTERVALS = 3;

    public Duration staleAfter() {
        return interval.multipliedBy(STALE_INTERVALS);
    }
}
