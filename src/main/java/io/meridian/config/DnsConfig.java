package io.meridian.config;

/** The zone Meridian is authoritative for and where the embedded server listens. */
public record DnsConfig(String zone, HostPort listen, SoaConfig soa) {
}
