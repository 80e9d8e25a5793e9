package io.meridian.config;

import java.time.Duration;

/**
 * The zone's SOA record. {@code minimum} is the negative-caching TTL (RFC 2308); {@code ttl} is the
 * TTL of the SOA record itself.
 */
public record SoaConfig(String mname, String rname, Duration refresh, Duration retry, Duration expire,
                        Duration minimum, Duration ttl) {
}
