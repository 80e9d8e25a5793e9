package io.meridian.dns.embedded;

import io.meridian.clock.Clock;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * On the listening TCP socket: an accept that fails (no descriptor left, no memory) pauses accepting
 * for a second and says so in one line at most every ten seconds, instead of a stack trace per
 * failed accept while the process is short of descriptors.
 */
@ChannelHandler.Sharable
final class AcceptErrors extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AcceptErrors.class);
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Clock clock;
    private long lastLogged;
    private long suppressed;

    AcceptErrors(Clock clock) {
        this.clock = clock;
        this.lastLogged = clock.monotonicNanos() - QUIET_NANOS;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.channel().config().setAutoRead(false);
        ctx.executor().schedule(() -> ctx.channel().config().setAutoRead(true), 1, TimeUnit.SECONDS);
        long now = clock.monotonicNanos();
        if (now - lastLogged >= QUIET_NANOS) {
            log.warn("DNS over TCP: accepting a connection failed ({}); not accepting for 1 s{}", cause.getMessage(),
                    suppressed > 0 ? " (" + suppressed + " more since the last report)" : "");
            lastLogged = now;
            suppressed = 0;
        } else {
            suppressed++;
        }
    }
}
