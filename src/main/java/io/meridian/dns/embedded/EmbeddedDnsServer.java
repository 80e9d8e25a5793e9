package io.meridian.dns.embedded;

import io.meridian.clock.Clock;
import io.meridian.config.ClientRule;
import io.meridian.config.ConnectionLimits;
import io.meridian.config.DnsConfig;
import io.meridian.config.IpLiteral;
import io.meridian.dns.DnsChange;
import io.meridian.dns.DnsProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Meridian's own authoritative server for the configured zone, on UDP and TCP at the same port.
 * Queries are answered on its own Netty event loops from an immutable {@link ZoneSnapshot};
 * {@link #apply} swaps in a new snapshot, so answers change atomically.
 *
 * <pre>{@code
 * EmbeddedDnsServer dns = new EmbeddedDnsServer(config.dns(), registry, serial);
 * dns.start().onSuccess(port -> ...);
 * dns.apply(List.of(new DnsChange("app.example.test", Duration.ofSeconds(30), sets)));
 * }</pre>
 */
public final class EmbeddedDnsServer implements DnsProvider {

    private final DnsConfig config;
    private final DnsServerMetrics metrics;
    private final DnsTransport transport;
    private final ClientLocator locator;
    private volatile ZoneSnapshot snapshot;
    private final QueryHandler handler;
    private final boolean fastPath;
    private final LongAdder fastAnswered = new LongAdder();
    private final QueryScreen udpScreen;
    private final QueryScreen tcpScreen;
    private final TcpAdmission admission;
    private final List<Channel> udp = new CopyOnWriteArrayList<>(); // bound on the event loops, closed from the caller
    private final List<UdpBatchLoop> udpLoops = new CopyOnWriteArrayList<>(); // with the native library: a thread each
    private Channel tcp;

    /** @param initialSerial the SOA serial before the first change (e.g. the start time in epoch seconds) */
    public EmbeddedDnsServer(DnsConfig config, MeterRegistry registry, long initialSerial) {
        this(config, List.of(), registry, initialSerial);
    }

    /** @param clients CIDR rules that place clients in a region, for answers that depend on it (latency policy) */
    public EmbeddedDnsServer(DnsConfig config, List<ClientRule> clients, MeterRegistry registry, long initialSerial) {
        this(config, clients, registry, initialSerial, true);
    }

    /** @param nativeUdp false: Netty's UDP sockets even where the native library loads (to compare the two) */
    EmbeddedDnsServer(DnsConfig config, List<ClientRule> clients, MeterRegistry registry, long initialSerial, boolean nativeUdp) {
        this.config = config;
        int cores = Runtime.getRuntime().availableProcessors();
        this.transport = DnsTransport.choose(cores, config.udpThreads(cores), config.listen().host(), nativeUdp);
        this.locator = new ClientLocator(clients);
        this.metrics = new DnsServerMetrics(registry);
        this.snapshot = ZoneSnapshot.empty(config, initialSerial);
        RateLimiter limiter = new RateLimiter(config.rateLimit(), Clock.system());
        this.handler = new QueryHandler(() -> snapshot, metrics, locator, limiter);
        this.fastPath = !limiter.enabled();
        this.udpScreen = new QueryScreen(() -> snapshot, metrics, false);
        this.tcpScreen = new QueryScreen(() -> snapshot, metrics, true);
        this.admission = new TcpAdmission(config.tcp(), metrics);
    }

    /**
     * The handlers of the UDP socket, in order. The server's own socket gets them; so can an embedded
     * channel in a test or a fuzzer, which then sees exactly what the server answers.
     */
    public void initUdp(ChannelPipeline p) {
        p.addLast(new FastAnswers(() -> snapshot, metrics, fastPath, fastAnswered));
        initFullUdp(p);
    }

    /** The UDP handlers after the fast path: what a query it left is answered by. */
    private void initFullUdp(ChannelPipeline p) {
        p.addLast(udpScreen, new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(), handler);
    }

    /** The handlers of one accepted TCP connection, in order: bounds, framing, screening, decoding, answering. */
    public void initTcp(ChannelPipeline p) {
        ConnectionLimits limits = config.tcp();
        p.addLast(admission, new IdleStateHandler(0, 0, limits.idleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                new TcpConnectionGuard(limits, metrics), new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2), tcpScreen,
                new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(), handler);
    }

    @Override
    public String name() {
        return "embedded";
    }

    /** Binds TCP, then UDP on the same port (the port chosen for TCP when the configured port is 0). */
    public Future<Integer> start() {
        ServerBootstrap tcpBoot = new ServerBootstrap().group(transport.group).channel(transport.serverChannel())
                .handler(new AcceptErrors(Clock.system()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        initTcp(ch.pipeline());
                    }
                });
        Bootstrap udpBoot = transport.udp(config.listen().host())
                .handler(new ChannelInitializer<DatagramChannel>() {
                    @Override
                    protected void initChannel(DatagramChannel ch) {
                        initUdp(ch.pipeline());
                    }
                });
        return listen(tcpBoot, udpBoot, 5).recover(err -> {
            stop();
            return Future.failedFuture(new IllegalStateException("embedded DNS server cannot listen on "
                    + config.listen() + ": " + err.getMessage(), err));
        });
    }

    /**
     * TCP first, then the UDP sockets on the same port. With port 0 (any), the port TCP got may be taken
     * for UDP by another socket: then all are tried again on a new port, up to {@code attempts} times.
     * TCP has no SO_REUSEPORT, so a second server on a taken port fails here rather than sharing its UDP.
     */
    private Future<Integer> listen(ServerBootstrap tcpBoot, Bootstrap udpBoot, int attempts) {
        String host = config.listen().host();
        return bind(tcpBoot.bind(host, config.listen().port())).compose(t -> {
            tcp = t;
            int port = ((InetSocketAddress) t.localAddress()).getPort();
            return bindUdp(udpBoot, host, port, transport.udpSockets).map(port).recover(err -> {
                closeUdp();
                if (config.listen().port() != 0 || attempts <= 1) {
                    return Future.failedFuture(err);
                }
                t.close();
                tcp = null;
                return listen(tcpBoot, udpBoot, attempts - 1);
            });
        });
    }

    /**
     * {@code count} UDP sockets on one port, one after the other: each on a thread of its own with the
     * native library, else each on the next event loop.
     */
    private Future<Void> bindUdp(Bootstrap udpBoot, String host, int port, int count) {
        if (count == 0) {
            return Future.succeededFuture();
        }
        if (transport.batched) {
            try {
                InetSocketAddress local = new InetSocketAddress(InetAddress.getByAddress(IpLiteral.bytes(host).orElseThrow()), port);
                udpLoops.add(UdpBatchLoop.start(local, "meridian-dns-udp-" + udpLoops.size(), () -> snapshot, metrics, fastPath,
                        fastAnswered, this::initFullUdp));
            } catch (IOException e) {
                return Future.failedFuture(e);
            }
            return bindUdp(udpBoot, host, port, count - 1);
        }
        return bind(udpBoot.bind(host, port)).compose(u -> {
            udp.add(u);
            return bindUdp(udpBoot, host, port, count - 1);
        });
    }

    /** Closes the UDP sockets; completes when the native ones' threads have let go of theirs. */
    private CompletableFuture<Void> closeUdp() {
        udp.forEach(Channel::close);
        udp.clear();
        CompletableFuture<?>[] loops = udpLoops.stream().map(UdpBatchLoop::stop).toArray(CompletableFuture[]::new);
        udpLoops.clear();
        return CompletableFuture.allOf(loops);
    }

    private static Future<Channel> bind(ChannelFuture f) {
        Promise<Channel> p = Promise.promise();
        f.addListener(done -> {
            if (done.isSuccess()) {
                p.complete(f.channel());
            } else {
                p.fail(done.cause());
            }
        });
        return p.future();
    }

    public Future<Void> stop() {
        CompletableFuture<Void> udpClosed = closeUdp();
        if (tcp != null) {
            tcp.close();
        }
        Promise<Void> p = Promise.promise();
        transport.group.shutdownGracefully(0, 1, TimeUnit.SECONDS).addListener(f -> udpClosed.whenComplete((v, e) -> p.complete()));
        return p.future();
    }

    @Override
    public Future<Void> apply(List<DnsChange> changes) {
        try {
            snapshot = snapshot.with(changes);
            return Future.succeededFuture();
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(new IllegalArgumentException("embedded DNS, zone " + config.zone() + ": " + e.getMessage(), e));
        }
    }

    public long serial() {
        return snapshot.serial;
    }

    /** A reload's client rules: from the next query on, clients are placed by them. */
    public void clients(List<ClientRule> rules) {
        locator.replace(rules);
    }

    /** The sockets under the server, for the start-up log line. */
    public String transport() {
        return transport.describe();
    }

    /** UDP queries answered on the fast path (see {@link FastAnswers}). */
    long fastAnswers() {
        return fastAnswered.sum();
    }

    /** TCP connections open now. */
    public int tcpConnections() {
        return admission.open();
    }

    public double malformedPackets() {
        return metrics.malformedCount();
    }
}
