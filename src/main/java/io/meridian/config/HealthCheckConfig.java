package io.meridian.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code healthchecks/NAME.yaml}: how to probe an endpoint and how many results in a row
 * change its state.
 *
 * @param path           request path (http/https only)
 * @param host           Host header and TLS SNI override; empty means the endpoint address
 * @param expectStatus   statuses that count as success (http/https only)
 * @param bodyContains   substring the first 64 KiB of the body must contain, if present
 * @param insecure       skip TLS certificate verification (https only)
 */
public record HealthCheckConfig(
        String name,
        CheckType type,
        String path,
        Optional<String> host,
        Set<Integer> expectStatus,
        Optional<String> bodyContains,
        boolean insecure,
        Duration interval,
        Duration timeout,
        int rise,
        int fall) {

    public HealthCheckConfig {
        expectStatus = Set.copyOf(expectStatus);
    }
}
