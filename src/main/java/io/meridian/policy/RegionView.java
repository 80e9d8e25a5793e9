package io.meridian.policy;

import io.meridian.config.EndpointConfig;
import io.meridian.config.RegionConfig;
import io.meridian.health.RegionStatus;

import java.util.List;
import java.util.Map;

/**
 * A region's configuration beside its current status: what a policy decides from.
 *
 * @param latencyByVantage mean latency EWMA of its serving endpoints from each vantage, in ms (absent: unknown)
 * @param drained          an operator took it out of service: it gets no traffic unless the service fails open
 * @param capacity         what it can carry of a service's load now: the declared capacity, or the one its reports
 *                         lead to ({@link CapacityUse}); infinite when none is declared
 * @param draining         drained, but ramping: while the others' capacity grows it keeps what they cannot carry yet
 */
public record RegionView(RegionConfig config, RegionStatus status, Map<String, Double> latencyByVantage, boolean drained,
                         double capacity, boolean draining) {

    public RegionView {
        latencyByVantage = Map.copyOf(latencyByVantage);
    }

    public RegionView(RegionConfig config, RegionStatus status) {
        this(config, status, Map.of(), false);
    }

    public RegionView(RegionConfig config, RegionStatus status, Map<String, Double> latencyByVantage, boolean drained) {
        this(config, status, latencyByVantage, drained, config.capacity().orElse(Double.POSITIVE_INFINITY), false);
    }

    public String name() {
        return config.name();
    }

    /** Up and not drained: may be given traffic. */
    public boolean inService() {
        return status.up() && !drained;
    }

    /** Why it is not in service, for reasons: "down (0/2 endpoints up)", "not yet known (…)" or "drained". */
    public String whyOut() {
        String state = (status.undecided() ? "not yet known" : "down") + " (" + status.reason() + ")";
        return drained ? (draining && status.up() ? "drained (ramping down as the others' capacity grows)" : "drained")
                + (status.up() ? "" : " and " + state) : state;
    }

    /** Drained but ramping, and up: it may keep what the others cannot carry yet. */
    public boolean rampingDown() {
        return drained && draining && status.up();
    }

    public List<String> allAddresses() {
        return config.endpoints().stream().map(EndpointConfig::address).distinct().toList();
    }
}
