package io.meridian.probe;

import io.meridian.config.HealthCheckConfig;

/** One endpoint and the check that probes it. {@code id} is unique across the configuration. */
public record ProbeTarget(String id, String region, String address, int port, HealthCheckConfig check) {
}
