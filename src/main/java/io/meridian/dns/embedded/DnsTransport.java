package io.meridian.dns.embedded;

import io.meridian.config.IpLiteral;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.RecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The sockets under the embedded server. On Linux with our native library: UDP sockets on the same
 * port ({@code SO_REUSEPORT}, so the kernel spreads clients over them), each on a {@link UdpBatchLoop}
 * thread; TCP on Netty's native epoll. On Linux without it: Netty's epoll for UDP too, one socket per
 * event loop, each reading up to {@value #BATCH} datagrams per {@code recvmmsg}; answers written in one
 * read's batch leave in one {@code sendmmsg} when the batch is flushed. Elsewhere: NIO, one UDP socket,
 * one loop.
 */
final class DnsTransport {

    /** The largest query datagram read whole, as Netty's NIO datagram channel reads by default. */
    static final int MAX_QUERY = 2048;
    /** Datagrams taken per read. */
    static final int BATCH = 16;
    /** Full batches read before going back to epoll. */
    static final int READS_PER_WAKEUP = 4;

    final boolean epoll;
    /** UDP on {@link UdpBatchLoop}s (our own {@code recvmmsg}/{@code sendmmsg}), not on Netty's channels. */
    final boolean batched;
    /** UDP sockets bound to the port: one per event loop or batch thread (with NIO, one). */
    final int udpSockets;
    final EventLoopGroup group;
    /** Why UDP is on Netty's channels, or null. */
    private final String whyNotBatched;

    private DnsTransport(boolean epoll, int loops, int udpThreads, String whyNotBatched) {
        this.epoll = epoll;
        this.batched = whyNotBatched == null;
        this.udpSockets = batched ? udpThreads : loops;
        this.whyNotBatched = whyNotBatched;
        this.group = new MultiThreadIoEventLoopGroup(loops, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /**
     * Native epoll when this system has it, with {@code loops} event loops; else NIO with one. UDP on
     * {@code udpThreads} batch threads when {@code nativeUdp} is asked for, our native library loaded and
     * {@code host} is an address literal; else on the event loops, a socket each.
     */
    static DnsTransport choose(int loops, int udpThreads, String host, boolean nativeUdp) {
        boolean native_ = Epoll.isAvailable();
        String why = !native_ ? "no native epoll" : !nativeUdp ? "not asked for" : NativeUdp.unavailable()
                .orElse(IpLiteral.bytes(host).isEmpty() ? "listen host " + host + " is not an address" : null);
        return new DnsTransport(native_, native_ ? Math.max(1, loops) : 1, udpThreads, why);
    }

    Class<? extends ServerChannel> serverChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /**
     * A bootstrap for the UDP sockets; every one of them may bind the same port. On an IPv4 address the
     * socket is IPv4 (a dual-stack socket takes the kernel's IPv6 path for every datagram).
     */
    Bootstrap udp(String host) {
        // The pooled allocator's per-thread caches: the adaptive default contends on its magazines' locks
        // at a few hundred thousand small buffers a second.
        Bootstrap b = new Bootstrap().group(group).option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT);
        if (!epoll) {
            return b.channel(NioDatagramChannel.class);
        }
        boolean v4 = IpLiteral.bytes(host).map(a -> a.length == 4).orElse(false);
        return b.channelFactory(() -> v4 ? new EpollDatagramChannel(SocketProtocolFamily.INET) : new EpollDatagramChannel())
                .option(EpollChannelOption.SO_REUSEPORT, true)
                .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, MAX_QUERY)
                .option(ChannelOption.RCVBUF_ALLOCATOR, readAllocator());
    }

    /**
     * One buffer of {@value #BATCH} datagrams per {@code recvmmsg}, and several of them per wake-up while
     * they come back full: a fixed allocator reads one message per wake-up unless told otherwise, which
     * sent every batch back through the event loop before the next read (0.77 -> 0.84-0.87 of gdnsd).
     */
    private static RecvByteBufAllocator readAllocator() {
        FixedRecvByteBufAllocator a = new FixedRecvByteBufAllocator(MAX_QUERY * BATCH);
        a.maxMessagesPerRead(BATCH * READS_PER_WAKEUP);
        return a;
    }

    String describe() {
        if (batched) {
            return (udpSockets == 1 ? "1 UDP socket on a thread" : udpSockets + " UDP sockets on SO_REUSEPORT, a thread each")
                    + " with recvmmsg/sendmmsg; TCP on epoll";
        }
        String why = whyNotBatched == null ? "" : " (native UDP not used: " + whyNotBatched + ")";
        return (epoll ? "epoll, " + udpSockets + " UDP sockets on SO_REUSEPORT, batched reads and writes" : "nio, 1 UDP socket") + why;
    }
}
