package io.meridian.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probe targets for {@code bench probes}, in their own process so that their CPU is not counted
 * as the prober's: {@code java -cp meridian.jar io.meridian.bench.TargetFarmMain ADDRESS BASE_PORT PORTS}.
 * Every port serves {@code /ok} (200), {@code /slow} (200 after 200 ms), {@code /fail} (503),
 * {@code /hang} (never answers), {@code /dribble} (a byte every 500 ms, never done) and {@code /huge}
 * (100 MB); port BASE_PORT-1 answers raw garbage. Prints "listening" once every port listens.
 * <p>
 * The targets are plain Netty on one event loop and speak just enough HTTP/1.1 (canned answers,
 * then close), because on a two-core machine a full HTTP server answering 10,000 new connections a
 * second would take the CPU the prober is being measured on; real targets live on other machines.
 */
public final class TargetFarmMain {

    private static final byte[] OK = canned("200 OK", "ok");
    private static final byte[] SLOW = canned("200 OK", "ok slow");
    private static final byte[] FAIL = canned("503 Service Unavailable", "unavailable");
    private static final byte[] NOT_FOUND = canned("404 Not Found", "");
    private static final byte[] GARBAGE = "garbage, not http\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final ByteBuf MB = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[1024 * 1024]));

    private TargetFarmMain() {
    }

    private static byte[] canned(String status, String body) {
        return ("HTTP/1.1 " + status + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    public static void main(String[] args) {
        String address = args[0];
        int base = Integer.parseInt(args[1]);
        int ports = Integer.parseInt(args[2]);
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        AtomicInteger listening = new AtomicInteger();
        for (int p = base - 1; p < base + ports; p++) {
            boolean garbage = p == base - 1;
            new ServerBootstrap().group(group).channel(channel).option(ChannelOption.SO_BACKLOG, 4096).option(ChannelOption.SO_REUSEADDR, true)
                    .childHandler(new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(garbage ? new Garbage() : new Target());
                        }
                    })
                    .bind(address, p).addListener(f -> {
                        if (!f.isSuccess()) {
                            System.err.println("cannot listen: " + f.cause().getMessage());
                            System.exit(1);
                        }
                        if (listening.incrementAndGet() == ports + 1) {
                            System.out.println("listening on " + address + ":" + base + "-" + (base + ports - 1));
                        }
                    });
        }
    }

    @ChannelHandler.Sharable
    private static final class Garbage extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ((ByteBuf) msg).release();
            ctx.writeAndFlush(Unpooled.wrappedBuffer(GARBAGE)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Reads the request line (the rest of the request is ignored), answers by path. */
    private static final class Target extends ChannelInboundHandlerAdapter {
        private final StringBuilder head = new StringBuilder();
        private boolean answered;
        private ScheduledFuture<?> dribble;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            try {
                if (answered) {
                    return;
                }
                head.append(in.toString(StandardCharsets.ISO_8859_1));
            } finally {
                in.release();
            }
            int eol = head.indexOf("\r\n");
            if (eol < 0 || head.indexOf("\r\n\r\n") < 0) {
                return;
            }
            answered = true;
            String[] line = head.substring(0, eol).split(" ");
            switch (line.length > 1 ? line[1] : "") {
                case "/ok", "/" -> end(ctx, OK);
                case "/fail" -> end(ctx, FAIL);
                case "/slow" -> ctx.executor().schedule(() -> end(ctx, SLOW), 200, TimeUnit.MILLISECONDS);
                case "/hang" -> { }
                case "/dribble" -> {
                    ctx.writeAndFlush(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", StandardCharsets.ISO_8859_1));
                    dribble = ctx.executor().scheduleAtFixedRate(
                            () -> ctx.writeAndFlush(Unpooled.copiedBuffer("1\r\nx\r\n", StandardCharsets.ISO_8859_1)), 500, 500, TimeUnit.MILLISECONDS);
                }
                case "/huge" -> huge(ctx, 100);
                default -> end(ctx, NOT_FOUND);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (dribble != null) {
                dribble.cancel(false);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable() && left > 0) {
                pump(ctx);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        private int left;

        /** {@code megabytes} MB of zeros, written as fast as the client reads them. */
        private void huge(ChannelHandlerContext ctx, int megabytes) {
            ctx.write(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: " + (long) megabytes * MB.capacity() + "\r\n\r\n",
                    StandardCharsets.ISO_8859_1));
            left = megabytes;
            pump(ctx);
        }

        private void pump(ChannelHandlerContext ctx) {
            while (left > 0 && ctx.channel().isWritable()) {
                left--;
                ctx.write(MB.duplicate());
            }
            if (left == 0) {
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.flush();
            }
        }

        private static void end(ChannelHandlerContext ctx, byte[] answer) {
            if (ctx.channel().isActive()) {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(answer)).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
