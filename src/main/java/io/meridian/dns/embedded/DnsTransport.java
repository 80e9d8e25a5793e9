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
 * The sockets under the embedded server. On Linux: Netty's native epoll, one UDP socket per event
 * loop on the same port ({@code SO_REUSEPORT}, so the kernel spreads clients over the cores), each
 * reading up to {@value #BATCH} datagrams per {@code recvmmsg}; answers written in one read's batch
 * leave in one {@code sendmmsg} when the batch is flushed. Elsewhere: NIO, one UDP socket, one loop.
 */
final class DnsTransport {

    /** The largest query datagram read whole, as Netty's NIO datagram channel reads by default. */
    static final int MAX_QUERY = 2048;
    /** Datagrams taken per read. */
    static final int BATCH = 16;
    /** Full batches read before going back to epoll. */
    static final int READS_PER_WAKEUP = 4;

    final boolean epoll;
    /** UDP sockets bound to the port: one per event loop (with NIO, one loop). */
    final int udpSockets;
    final EventLoopGroup group;

    private DnsTransport(boolean epoll, int loops) {
        this.epoll = epoll;
        this.udpSockets = loops;
        this.group = new MultiThreadIoEventLoopGroup(loops, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** Native epoll when this system has it, with {@code loops} event loops; else NIO with one. */
    static DnsTransport choose(int loops) {
        boolean native_ = Epoll.isAvailable();
        return new DnsTransport(native_, native_ ? Math.max(1, loops) : 1);
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
        return epoll ? "epoll, " + udpSockets + " UDP sockets on SO_REUSEPORT, batched reads and writes" : "nio, 1 UDP socket";
    }
}
