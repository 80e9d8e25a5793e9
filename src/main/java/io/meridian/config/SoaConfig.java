package io.meridian.config;

import java.time.Duration;

/**
 * The zone's SOA record. {@code minimum} is the negative-caching TTL (RFC 2308); {@code ttl} is the
 * TTL of the SOA record itself.
 */
public record SoaConfig(String mname, String rname, Duration refresh, Duration retry, Duration expire,
                        Duration minimum, Duration ttl) {

    /** What a zone gets without a {@code soa} section: {@code ns1.ZONE}, {@code hostmaster.ZONE}, 1h/10m/14d, 30s, 1h. */
    public static SoaConfig defaults(String zone) {
        return new SoaConfig("ns1." + zone, "hostmaster." + zone, Duration.ofHours(1), Duration.ofMinutes(10),
                Duration.ofDays(14), Duration.ofSeconds(30), Duration.ofHours(1));
    }
}
