package io.meridian.health;

import java.util.List;

/**
 * Whether a region should receive traffic, judged from its endpoints.
 *
 * @param upAddresses addresses of the endpoints that are UP, in configuration order
 */
public record RegionStatus(String region, boolean up, int upCount, int total, List<String> upAddresses, String reason) {

    public RegionStatus {
        upAddresses = List.copyOf(upAddresses);
    }
}
