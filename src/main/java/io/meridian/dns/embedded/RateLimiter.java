package io.meridian.dns.embedded;

import io.meridian.clock.Clock;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * At most {@code perSecond} queries per source address in each one-second window, across all of the
 * server's event loops (a source's queries may arrive on any of its sockets), hence synchronized. The table is bounded: past {@value #MAX_SOURCES} sources in one
 * window, new sources are let through rather than tracked (the limit protects, it must not itself
 * become a memory leak).
 */
final class RateLimiter {

    static final int MAX_SOURCES = 100_000;

    private final int perSecond;
    private final Clock clock;
    private final Map<InetAddress, int[]> counts = new HashMap<>();
    private long window = Long.MIN_VALUE;

    RateLimiter(int perSecond, Clock clock) {
        this.perSecond = perSecond;
        this.clock = clock;
    }

    boolean enabled() {
        return perSecond > 0;
    }

    synchronized boolean allow(InetAddress source) {
        long now = clock.monotonicNanos() / 1_000_000_000L;
        if (now != window) {
            window = now;
            counts.clear();
        }
        int[] n = counts.get(source);
        if (n == null) {
            if (counts.size() >= MAX_SOURCES) {
                return true;
            }
            n = new int[1];
            counts.put(source, n);
        }
        return ++n[0] <= perSecond;
    }
}
