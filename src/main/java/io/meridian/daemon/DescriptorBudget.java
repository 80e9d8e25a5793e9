package io.meridian.daemon;

import io.meridian.config.ConnectionLimits;

/**
 * How the process's file descriptors are shared out at start, so that strangers' connections can
 * never take the ones probes need: the probes' share (one per target, plus database members and
 * DNS providers) is reserved, a headroom is kept for the JVM (jars, journal, event loops), and the
 * inbound connection bounds of DNS over TCP and the API are lowered, in proportion, until they fit
 * in half of what is left. The other half absorbs bursts: a connection beyond a bound is accepted
 * before it is closed, and the API's acceptor (Vert.x's) runs on another thread than the one that
 * closes, so a flood of new connections briefly holds more descriptors than the bounds.
 *
 * @param probes the descriptors reserved for probes: also the bound on probes in flight
 * @param dns    the DNS-over-TCP limits to use (perhaps lowered)
 * @param api    the API's limits to use (perhaps lowered)
 */
record DescriptorBudget(long limit, long openAtStart, int probes, ConnectionLimits dns, ConnectionLimits api, boolean lowered) {

    /** Kept free beyond everything counted: the JVM opens files and sockets of its own as it runs. */
    static final int HEADROOM = 64;

    /** Descriptors left free for accept bursts: as many as the inbound bounds together. */
    long burstMargin() {
        return limit - openAtStart - HEADROOM - probes - dns.maxConnections() - api.maxConnections();
    }

    /**
     * @param limit      the process's descriptor limit ({@code RLIMIT_NOFILE}); 0 or less when unknown
     * @param open       descriptors open now
     * @param probeSlots descriptors the probes may hold at once
     */
    static DescriptorBudget plan(long limit, long open, int probeSlots, ConnectionLimits dns, ConnectionLimits api) {
        if (limit <= 0) {
            return new DescriptorBudget(limit, open, probeSlots, dns, api, false);
        }
        long inbound = (limit - open - HEADROOM - probeSlots) / 2;
        long wanted = (long) dns.maxConnections() + api.maxConnections();
        if (inbound >= wanted) {
            return new DescriptorBudget(limit, open, probeSlots, dns, api, false);
        }
        long share = Math.max(2, inbound);
        int dnsMax = (int) Math.max(1, share * dns.maxConnections() / wanted);
        int apiMax = (int) Math.max(1, share - dnsMax);
        return new DescriptorBudget(limit, open, probeSlots, dns.capped(dnsMax), api.capped(apiMax), true);
    }

    /** One line for the start-up log. */
    String describe() {
        if (limit <= 0) {
            return "descriptor limit unknown: connection bounds as configured (DNS over TCP " + dns.maxConnections()
                    + ", API " + api.maxConnections() + ")";
        }
        return "descriptors: limit " + limit + ", " + openAtStart + " open at start, " + probes + " reserved for probes, "
                + HEADROOM + " kept free, " + Math.max(0, burstMargin()) + " for bursts of new connections; inbound connections at most " + dns.maxConnections() + " for DNS over TCP ("
                + dns.maxPerSource() + " per source) and " + api.maxConnections() + " for the API"
                + (lowered ? " (lowered from the configuration to fit the limit; raise it with LimitNOFILE or ulimit -n)" : "")
                + (limit - openAtStart - HEADROOM < probes ? "; THE LIMIT IS TOO LOW EVEN FOR THE PROBES" : "");
    }
}
