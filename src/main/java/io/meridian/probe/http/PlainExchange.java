package io.meridian.probe.http;

import io.meridian.config.HealthCheckConfig;
import io.meridian.config.ProbeOptions;
import io.meridian.probe.FailureReason;
import io.meridian.probe.ProbeRun;
import io.meridian.probe.ProbeTarget;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One plain-HTTP/1.1 probe on a fresh TCP connection, straight on Netty (on the prober's own event
 * loop, with the transport Vert.x uses): the request is a few bytes written once, the answer is
 * read by a {@link ResponseReader} only as far as the verdict needs, then the connection is closed.
 * No HTTP client, no pool, no socket options beyond the connect timeout: several times cheaper per
 * probe. {@link HttpProber} uses it for {@code http} checks without keep-alive, HTTP/2 or redirects,
 * and Vert.x's HTTP client for everything else.
 */
final class PlainExchange {

    private PlainExchange() {
    }

    static boolean applies(HealthCheckConfig check) {
        ProbeOptions o = check.options();
        return check.type() == io.meridian.config.CheckType.HTTP && !o.http2() && !o.followRedirects() && !o.keepAlive();
    }

    static byte[] request(ProbeTarget target, String userAgent) {
        HealthCheckConfig check = target.check();
        String host = check.host().orElse(target.address().contains(":") ? "[" + target.address() + "]" : target.address());
        StringBuilder b = new StringBuilder(128).append(check.options().method()).append(' ').append(check.path()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(target.port() == 80 ? "" : ":" + target.port()).append("\r\n")
                .append("User-Agent: ").append(userAgent).append("\r\n");
        check.options().headers().forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        String method = check.options().method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            b.append("Content-Length: 0\r\n");
        }
        return b.append("Connection: close\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static void run(EventLoop loop, ChannelFactory<? extends Channel> channels, ProbeRun run, ProbeTarget target, byte[] request) {
        HealthCheckConfig check = target.check();
        ChannelFuture connect = new Bootstrap().group(loop).channelFactory(channels)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) check.timeout().toMillis())
                .handler(new Exchange(run, check, request))
                .connect(new InetSocketAddress(target.address(), target.port()));
        Channel channel = connect.channel();
        // Also a connect still pending: a black-holed address must not hold a descriptor past the timeout.
        run.onTimeout(() -> close(channel));
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                run.fail(f.cause());
                close(channel);
            }
        });
    }

    /** A channel that could not even be created (no descriptor left) was never registered, and has nothing to close. */
    private static void close(Channel channel) {
        if (channel.isRegistered()) {
            channel.close();
        }
    }

    /** The probe's side of the connection. */
    private static final class Exchange extends ChannelInboundHandlerAdapter {

        private final ProbeRun run;
        private final HealthCheckConfig check;
        private final byte[] request;
        private final boolean head;
        private final ResponseReader reader;
        private boolean firstByte;
        private boolean active;

        Exchange(ProbeRun run, HealthCheckConfig check, byte[] request) {
            this.run = run;
            this.check = check;
            this.request = request;
            this.head = check.options().method().equals("HEAD");
            this.reader = new ResponseReader(BodyCheck.of(check).map(c -> check.options().maxBodyBytes()).orElse(0));
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (run.isDone()) {
                ctx.close(); // the timeout won while connecting: never leak the descriptor
                return;
            }
            active = true;
            run.mark("connect");
            ctx.writeAndFlush(Unpooled.wrappedBuffer(request));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf chunk = (ByteBuf) msg;
            try {
                if (run.isDone()) {
                    return;
                }
                if (!firstByte) {
                    firstByte = true;
                    run.mark("first_byte");
                }
                judge(reader.feed(chunk));
                if (run.isDone()) {
                    ctx.close();
                }
            } finally {
                chunk.release();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (active && !run.isDone()) {
                judge(reader.closed());
                if (!run.isDone()) {
                    run.fail(FailureReason.CLOSED, "the server closed the connection before a complete response"
                            + (reader.status() < 0 ? "" : " (status " + reader.status() + ", " + reader.bodyBytes() + " body bytes)"));
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            run.fail(cause);
            ctx.close();
        }

        private void judge(ResponseReader.State state) {
            if (state == ResponseReader.State.MALFORMED) {
                run.fail(FailureReason.BAD_RESPONSE, reader.problem());
                return;
            }
            if (state == ResponseReader.State.HEAD) {
                return;
            }
            if (!check.expectStatus().contains(reader.status())) {
                run.fail(FailureReason.STATUS, "status " + reader.status());
                return;
            }
            var body = BodyCheck.of(check);
            if (body.isEmpty() || head) {
                run.succeed();
            } else if (body.get().matches(reader.body())) {
                run.succeed();
            } else if (reader.bodyFull()) {
                run.fail(FailureReason.TOO_LARGE, body.get().tooLarge(check.options().maxBodyBytes()));
            } else if (state == ResponseReader.State.DONE) {
                run.fail(FailureReason.BODY_MISMATCH, body.get().mismatch(reader.bodyBytes()));
            }
        }
    }
}
