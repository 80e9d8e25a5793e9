package io.meridian.config;

import java.time.Duration;

/**
 * Bounds on the inbound TCP connections of one server (the embedded DNS server's TCP side, or the
 * API), so that strangers who open connections and hold them cannot take the descriptors, ports
 * and memory the probes need. What happens at a bound: new connections are closed at once, open
 * ones keep being served.
 *
 * @param maxConnections     connections open at once; beyond it a new one is closed on accept
 * @param maxPerSource       connections open at once from one source address
 * @param idleTimeout        a connection with nothing in progress for this long is closed
 * @param messageTimeout     DNS: once the first byte of a message arrived, the whole message must arrive
 *                           within this; API: the request head and body must arrive within this
 * @param maxRequests        DNS: queries answered on one connection before it is closed (0: no bound)
 */
public record ConnectionLimits(int maxConnections, int maxPerSource, Duration idleTimeout, Duration messageTimeout,
                               int maxRequests) {

    /** RFC 7766 section 6.2.3 asks for idle timeouts of seconds, and for limits per client. */
    public static ConnectionLimits dnsDefaults() {
        return new ConnectionLimits(256, 16, Duration.ofSeconds(10), Duration.ofSeconds(2), 100);
    }

    public static ConnectionLimits apiDefaults() {
        return new ConnectionLimits(128, 32, Duration.ofSeconds(30), Duration.ofSeconds(10), 0);
    }

    /** The same limits with at most {@code max} connections (and per source), for a smaller descriptor budget. */
    public ConnectionLimits capped(int max) {
        int m = Math.max(1, Math.min(maxConnections, max));
        return new ConnectionLimits(m, Math.min(maxPerSource, m), idleTimeout, messageTimeout, maxRequests);
    }
}
