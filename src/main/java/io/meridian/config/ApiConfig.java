package io.meridian.config;

/** Where the HTTP API (health endpoints, metrics, status) listens. */
public record ApiConfig(HostPort listen) {
}
