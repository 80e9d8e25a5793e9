package io.meridian.health;

import java.util.List;

/**
 * Whether a region should receive traffic, judged from its endpoints' verdicts.
 *
 * @param degraded    more than half of its serving endpoints are DEGRADED
 * @param upAddresses addresses of the serving endpoints, in configuration order
 */
public record RegionStatus(String region, boolean up, boolean degraded, int upCount, int total, List<String> upAddresses,
                           String reason) {

    public RegionStatus {
        upAddresses = List.copyOf(upAddresses);
    }
}
