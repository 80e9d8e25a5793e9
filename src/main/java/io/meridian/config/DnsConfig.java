package io.meridian.config;

import java.util.List;

/**
 * The zone Meridian is authoritative for and where the embedded server listens.
 *
 * @param nameservers the zone's NS records (default: the SOA's mname)
 * @param rateLimit   answers per second per source address; beyond that queries are dropped (0: no limit)
 */
public record DnsConfig(String zone, HostPort listen, SoaConfig soa, List<String> nameservers, int rateLimit) {

    public DnsConfig {
        nameservers = List.copyOf(nameservers);
    }

    public DnsConfig(String zone, HostPort listen, SoaConfig soa) {
        this(zone, listen, soa, List.of(soa.mname()), 0);
    }
}
