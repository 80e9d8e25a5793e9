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
 * @param latencyThreshold a target slower than this is DEGRADED after {@code latencyFall} slow results
 *                         in a row, and recovers after {@code latencyRise} fast ones
 * @param recheck        after a failure, probe again this soon instead of a full interval, until the
 *                       target is DOWN or answers again: fast and sure detection
 * @param options        what the protocol of {@code type} needs beyond that (see {@link ProbeOptions})
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
        int fall,
        Optional<Duration> latencyThreshold,
        int latencyRise,
        int latencyFall,
        Optional<Duration> recheck,
        ProbeOptions options) {

    public HealthCheckConfig {
        expectStatus = Set.copyOf(expectStatus);
    }

    /** A check with the default protocol options. */
    public HealthCheckConfig(String name, CheckType type, String path, Optional<String> host, Set<Integer> expectStatus,
                             Optional<String> bodyContains, boolean insecure, Duration interval, Duration timeout,
                             int rise, int fall, Optional<Duration> latencyThreshold, int latencyRise, int latencyFall,
                             Optional<Duration> recheck) {
        this(name, type, path, host, expectStatus, bodyContains, insecure, interval, timeout, rise, fall,
                latencyThreshold, latencyRise, latencyFall, recheck, ProbeOptions.defaults());
    }

    public HealthCheckConfig withOptions(ProbeOptions o) {
        return new HealthCheckConfig(name, type, path, host, expectStatus, bodyContains, insecure, interval, timeout, rise, fall,
                latencyThreshold, latencyRise, latencyFall, recheck, o);
    }

    /** A check without latency threshold or rechecks. */
    public HealthCheckConfig(String name, CheckType type, String path, Optional<String> host, Set<Integer> expectStatus,
                             Optional<String> bodyContains, boolean insecure, Duration interval, Duration timeout,
                             int rise, int fall) {
        this(name, type, path, host, expectStatus, bodyContains, insecure, interval, timeout, rise, fall,
                Optional.empty(), 3, 3, Optional.empty());
    }
}
