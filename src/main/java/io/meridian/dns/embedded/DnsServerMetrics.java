package io.meridian.dns.embedded;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.dns.DnsResponseCode;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * {@code meridian.dns.queries} by rcode, {@code meridian.dns.malformed}, {@code meridian.dns.truncated},
 * {@code meridian.dns.socket.errors},
 * {@code meridian.dns.ratelimited}, and for TCP {@code meridian.dns.tcp.connections} (open now),
 * {@code meridian.dns.tcp.refused} (by the bound that refused: total, per_source) and
 * {@code meridian.dns.tcp.closed} (by why: idle, slow, max_queries). Counters are looked up once.
 */
final class DnsServerMetrics {

    private final MeterRegistry registry;
    private final ConcurrentMap<Integer, Counter> byCode = new ConcurrentHashMap<>();
    private final Counter malformed;
    private final Counter truncated;
    private final Counter rateLimited;
    private final Counter noError;
    private final Counter socketErrors;
    private final ConcurrentMap<String, Counter> tcp = new ConcurrentHashMap<>();

    DnsServerMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.malformed = Counter.builder("meridian.dns.malformed")
                .description("DNS packets dropped because they could not be decoded").register(registry);
        this.truncated = Counter.builder("meridian.dns.truncated")
                .description("UDP answers too large for the client, sent empty with TC so it retries over TCP").register(registry);
        this.rateLimited = Counter.builder("meridian.dns.ratelimited")
                .description("queries dropped by the per-source rate limit").register(registry);
        this.noError = queries(DnsResponseCode.NOERROR);
        this.socketErrors = Counter.builder("meridian.dns.socket.errors")
                .description("UDP reads or answers the kernel refused (a local failure, not a client's packet)").register(registry);
    }

    void trackTcpConnections(java.util.function.IntSupplier open) {
        io.micrometer.core.instrument.Gauge.builder("meridian.dns.tcp.connections", open::getAsInt)
                .description("TCP connections open to the embedded DNS server").register(registry);
    }

    void tcpRefused(String bound) {
        tcp.computeIfAbsent("refused:" + bound, k -> Counter.builder("meridian.dns.tcp.refused")
                .description("TCP connections closed on accept because a connection bound was reached")
                .tag("bound", bound).register(registry)).increment();
    }

    void tcpClosed(String why) {
        tcp.computeIfAbsent("closed:" + why, k -> Counter.builder("meridian.dns.tcp.closed")
                .description("TCP connections closed by the server: idle, slow (a message not received in time), max_queries")
                .tag("reason", why).register(registry)).increment();
    }

    void truncated() {
        truncated.increment();
    }

    void rateLimited() {
        rateLimited.increment();
    }

    void answered(DnsResponseCode code) {
        if (code == DnsResponseCode.NOERROR) {
            noError.increment();
            return;
        }
        byCode.computeIfAbsent(code.intValue(), c -> queries(code)).increment();
    }

    /** The fast path's one answer code, for a batch of answers, without a lookup per query. */
    void answeredNoError(int count) {
        noError.increment(count);
    }

    void socketError() {
        socketErrors.increment();
    }

    private Counter queries(DnsResponseCode code) {
        return Counter.builder("meridian.dns.queries").description("DNS queries answered by the embedded server")
                .tag("rcode", code.toString().replaceAll("\\(.*", "").toLowerCase(Locale.ROOT)).register(registry);
    }

    void malformed() {
        malformed.increment();
    }

    double malformedCount() {
        return malformed.count();
    }
}
