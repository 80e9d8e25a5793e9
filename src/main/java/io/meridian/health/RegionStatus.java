package io.meridian.health;

import java.util.List;

/**
 * Whether a region should receive traffic, judged from its endpoints' verdicts.
 *
 * @param degraded    more than half of its serving endpoints are DEGRADED
 * @param upAddresses addresses of the serving endpoints, in configuration order
 * @param unknown     endpoints with no verdict yet (a start, before their first results)
 * @param undecided   not up, but only for want of results: its UNKNOWN endpoints could still make it
 *                    up. Neither up nor down: not a reason to move traffic away from it
 */
public record RegionStatus(String region, boolean up, boolean degraded, int upCount, int total, List<String> upAddresses,
                           String reason, int unknown, boolean undecided) {

    public RegionStatus {
        upAddresses = List.copyOf(upAddresses);
    }

    /** A status with every endpoint known. */
    public RegionStatus(String region, boolean up, boolean degraded, int upCount, int total, List<String> upAddresses, String reason) {
        this(region, up, degraded, upCount, total, upAddresses, reason, 0, false);
    }

    /** Some endpoint still has no verdict: the answer may yet change without anything failing. */
    public boolean settling() {
        return unknown > 0;
    }
}
