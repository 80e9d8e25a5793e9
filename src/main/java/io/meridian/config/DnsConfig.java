package io.meridian.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The zone Meridian is authoritative for, where the embedded server listens, and where else
 * answers are published.
 *
 * @param nameservers the zone's NS records (default: the SOA's mname)
 * @param rateLimit   answers per second per source address; beyond that queries are dropped (0: no limit)
 * @param rfc2136     also publish to this server by signed dynamic updates, if set
 * @param route53     also publish to this Route 53 hosted zone, if set
 * @param tcp         bounds on TCP connections to the embedded server (RFC 7766)
 * @param glue        addresses of the nameservers inside the zone, answered for their names and added to NS answers
 * @param udpThreads  UDP sockets on the port, each on a thread of its own (0: half the cores, at least one)
 */
public record DnsConfig(String zone, HostPort listen, SoaConfig soa, List<String> nameservers, int rateLimit,
                        Optional<Rfc2136Config> rfc2136, Optional<Route53Config> route53, ConnectionLimits tcp,
                        Map<String, List<String>> glue, int udpThreads) {

    public DnsConfig {
        nameservers = List.copyOf(nameservers);
        glue = Map.copyOf(glue);
    }

    public DnsConfig(String zone, HostPort listen, SoaConfig soa) {
        this(zone, listen, soa, List.of(soa.mname()), 0, Optional.empty(), Optional.empty(), ConnectionLimits.dnsDefaults(), Map.of(), 0);
    }

    public DnsConfig(String zone, HostPort listen, SoaConfig soa, List<String> nameservers, int rateLimit) {
        this(zone, listen, soa, nameservers, rateLimit, Optional.empty(), Optional.empty(), ConnectionLimits.dnsDefaults(), Map.of(), 0);
    }

    /** The same server with other TCP limits (a smaller descriptor budget, a test). */
    public DnsConfig withTcp(ConnectionLimits limits) {
        return new DnsConfig(zone, listen, soa, nameservers, rateLimit, rfc2136, route53, limits, glue, udpThreads);
    }

    /** The same server on another number of UDP threads. */
    public DnsConfig withUdpThreads(int threads) {
        return new DnsConfig(zone, listen, soa, nameservers, rateLimit, rfc2136, route53, tcp, glue, threads);
    }

    /**
     * The UDP threads to run on {@code cores}: the configured number, else half the cores. On two cores
     * shared with the load, one thread answered 0.94-1.10 of gdnsd's queries/s (median 1.03, with less CPU
     * per query) and two 0.95-1.00; with the daemon in a scheduling group of its own (as under systemd),
     * 170-188k queries/s against 77-90k: a second thread only took turns with the first on the CPU the
     * daemon had (README, "Benchmarks").
     */
    public int udpThreads(int cores) {
        return udpThreads > 0 ? udpThreads : Math.max(1, cores / 2);
    }

    /**
     * A primary server that takes RFC 2136 updates for the zone, and the TSIG key (from a BIND key file).
     *
     * @param reconcile how often Meridian reads back what the server serves (zero: never)
     * @param repair    true: records edited by hand are put back; false ({@code observe}): only reported
     */
    public record Rfc2136Config(HostPort server, Path keyFile, TsigKeyFile.TsigKey key, java.time.Duration reconcile,
                                boolean repair) {
    }
}
