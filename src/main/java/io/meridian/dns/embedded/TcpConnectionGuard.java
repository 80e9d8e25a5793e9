package io.meridian.dns.embedded;

import io.meridian.config.ConnectionLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Keeps one DNS-over-TCP connection within its bounds (RFC 7766 section 6.2.3): closes it when idle
 * (an {@link io.netty.handler.timeout.IdleStateHandler} before it says so), when a message that has
 * begun does not arrive whole within {@code message-timeout} (slow senders), and after
 * {@code max-queries-per-connection} queries have been answered. It follows the two-octet length
 * prefixes of the stream without consuming them; bytes past the last allowed query are dropped.
 * One instance per connection.
 */
final class TcpConnectionGuard extends ChannelDuplexHandler {

    private final ConnectionLimits limits;
    private final DnsServerMetrics metrics;
    private int prefixBytes;
    private int firstPrefixByte;
    private int bodyLeft;
    private int queries;
    private int answers;
    private ScheduledFuture<?> messageDeadline;

    TcpConnectionGuard(ConnectionLimits limits, DnsServerMetrics metrics) {
        this.limits = limits;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (limitReached()) {
            in.release(); // past the last query this connection may ask
            return;
        }
        int i = in.readerIndex();
        int end = in.writerIndex();
        while (i < end && !limitReached()) {
            if (prefixBytes == 0 && bodyLeft == 0) {
                startMessage(ctx);
            }
            if (prefixBytes < 2) {
                int b = in.getUnsignedByte(i++);
                if (prefixBytes++ == 0) {
                    firstPrefixByte = b;
                    continue;
                }
                bodyLeft = (firstPrefixByte << 8) | b;
            } else {
                int take = Math.min(bodyLeft, end - i);
                i += take;
                bodyLeft -= take;
            }
            if (prefixBytes == 2 && bodyLeft == 0) {
                endMessage();
            }
        }
        if (i < end) {
            // The last allowed query ends inside this read: pass it on without what follows.
            ByteBuf allowed = in.retainedSlice(in.readerIndex(), i - in.readerIndex());
            in.release();
            ctx.channel().config().setAutoRead(false);
            ctx.fireChannelRead(allowed);
        } else {
            ctx.fireChannelRead(in);
        }
    }

    private boolean limitReached() {
        return limits.maxRequests() > 0 && queries >= limits.maxRequests();
    }

    private void startMessage(ChannelHandlerContext ctx) {
        long ms = limits.messageTimeout().toMillis();
        messageDeadline = ctx.executor().schedule(() -> {
            metrics.tcpClosed("slow");
            ctx.close();
        }, ms, TimeUnit.MILLISECONDS);
    }

    private void endMessage() {
        prefixBytes = 0;
        queries++;
        if (messageDeadline != null) {
            messageDeadline.cancel(false);
            messageDeadline = null;
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        answers++;
        if (limitReached() && answers >= queries) {
            // The last answer this connection gets: close once it is written.
            metrics.tcpClosed("max_queries");
            ctx.write(msg, promise).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && messageDeadline == null) {
            metrics.tcpClosed("idle");
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (messageDeadline != null) {
            messageDeadline.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
