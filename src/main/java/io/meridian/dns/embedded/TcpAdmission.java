package io.meridian.dns.embedded;

import io.meridian.config.ConnectionLimits;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits a new TCP connection only while the server holds fewer than {@code max-connections}, and
 * fewer than {@code max-connections-per-source} from its source address; any other is closed at
 * once, so the connections already open keep being served (RFC 7766 section 6.2.2). Shared by
 * every connection of one server.
 */
@ChannelHandler.Sharable
final class TcpAdmission extends ChannelInboundHandlerAdapter {

    private final ConnectionLimits limits;
    private final DnsServerMetrics metrics;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentMap<InetAddress, Integer> bySource = new ConcurrentHashMap<>();

    TcpAdmission(ConnectionLimits limits, DnsServerMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
        metrics.trackTcpConnections(open::get);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress source = ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : InetAddress.getLoopbackAddress();
        if (open.incrementAndGet() > limits.maxConnections()) {
            open.decrementAndGet();
            refuse(ctx, "total");
            return;
        }
        if (bySource.merge(source, 1, Integer::sum) > limits.maxPerSource()) {
            open.decrementAndGet();
            bySource.computeIfPresent(source, (k, n) -> n == 1 ? null : n - 1);
            refuse(ctx, "per_source");
            return;
        }
        // Counted now: released exactly once, when this connection closes.
        ctx.channel().closeFuture().addListener(f -> {
            open.decrementAndGet();
            bySource.computeIfPresent(source, (k, n) -> n == 1 ? null : n - 1);
        });
        ctx.fireChannelActive();
    }

    private void refuse(ChannelHandlerContext ctx, String bound) {
        metrics.tcpRefused(bound);
        ctx.close();
    }

    int open() {
        return open.get();
    }
}
