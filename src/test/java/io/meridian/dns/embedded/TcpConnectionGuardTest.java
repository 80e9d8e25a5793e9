package io.meridian.dns.embedded;

import io.meridian.config.ConnectionLimits;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateHandler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 7766 bounds on one connection, on a channel whose time the test moves. */
class TcpConnectionGuardTest {

    private static final ConnectionLimits LIMITS = new ConnectionLimits(10, 5, Duration.ofSeconds(10), Duration.ofSeconds(2), 3);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(new IdleStateHandler(0, 0, LIMITS.idleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                new TcpConnectionGuard(LIMITS, new DnsServerMetrics(registry)));
        return ch;
    }

    /** A length-prefixed message of {@code n} bytes. */
    private static ByteBuf message(int n) {
        ByteBuf b = Unpooled.buffer(n + 2).writeShort(n);
        b.writeZero(n);
        return b;
    }

    private static void pass(EmbeddedChannel ch, long ms) {
        ch.advanceTimeBy(ms, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    private double closed(String reason) {
        var c = registry.find("meridian.dns.tcp.closed").tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() {
        EmbeddedChannel ch = channel();
        pass(ch, 9_900);
        assertThat(ch.isOpen()).isTrue();
        pass(ch, 200);
        assertThat(ch.isOpen()).isFalse();
        assertThat(closed("idle")).isEqualTo(1);
    }

    @Test
    void aSlowSenderIsCutOffWhenItsMessageDoesNotArriveWholeInTime() {
        EmbeddedChannel ch = channel();
        ByteBuf m = message(40);
        // One byte a second keeps the connection from being idle, but not the message from being late.
        for (int i = 0; i < 3 && ch.isOpen(); i++) {
            ch.writeInbound(m.readRetainedSlice(1));
            pass(ch, 900);
        }
        assertThat(ch.isOpen()).isFalse();
        assertThat(closed("slow")).isEqualTo(1);
        m.release();
    }

    @Test
    void wholeMessagesPassUnchangedEvenWhenSplitAndPipelined() {
        EmbeddedChannel ch = channel();
        ByteBuf two = Unpooled.wrappedBuffer(message(5), message(7));
        ch.writeInbound(two.readRetainedSlice(3), two.readRetainedSlice(two.readableBytes()));
        ByteBuf seen = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readInbound()) != null; ) {
            seen.writeBytes(b);
            b.release();
        }
        assertThat(seen.readableBytes()).isEqualTo(2 + 5 + 2 + 7);
        pass(ch, 5_000);
        assertThat(ch.isOpen()).as("a finished message leaves no deadline behind").isTrue();
        assertThat(closed("slow")).isZero();
    }

    @Test
    void closesAfterAnsweringTheLastQueryItMayAskAndDropsWhatFollows() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.wrappedBuffer(message(4), message(4), message(4), message(4)));
        ByteBuf passed = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readInbound()) != null; ) {
            passed.writeBytes(b);
            b.release();
        }
        assertThat(passed.readableBytes()).as("three queries of six bytes, the fourth dropped").isEqualTo(18);
        ch.writeOutbound(Unpooled.buffer(1).writeByte(1), Unpooled.buffer(1).writeByte(2));
        assertThat(ch.isOpen()).isTrue();
        ch.writeOutbound(Unpooled.buffer(1).writeByte(3));
        assertThat(ch.isOpen()).isFalse();
        assertThat(closed("max_queries")).isEqualTo(1);
        ch.finishAndReleaseAll();
    }
}
