package io.meridian.dns.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * One UDP socket of the embedded server on a thread of its own, driven the way gdnsd drives its sockets:
 * it blocks in {@code recvmmsg} for up to {@value #BATCH} queries, answers the common ones from their
 * bytes ({@link FastAnswers#answer}) straight into its send buffer, gives the rest to the server's full
 * UDP path on an {@link EmbeddedChannel} (the handlers a Netty socket has after the fast path), and
 * sends the batch's answers with one {@code sendmmsg}. Nothing is allocated for a query on the fast path, and no
 * object crosses into native code: Netty's datagram channel spent more of its time on that marshalling
 * and its pipeline than on answering.
 */
final class UdpBatchLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(UdpBatchLoop.class);

    /** Datagrams taken per read, as on Netty's sockets. */
    static final int BATCH = DnsTransport.BATCH;
    /** A query read whole, and any answer we send over UDP (at most 1,232 bytes). */
    private static final int SLOT = DnsTransport.MAX_QUERY;
    /** How long a read waits before it looks whether the loop was stopped. */
    private static final int WAKE_MILLIS = 500;
    private static final int EAGAIN = 11;
    private static final int EBADF = 9;
    private static final int EINVAL = 22;
    private static final int AF_INET6 = 10;

    private final int fd;
    private final InetSocketAddress local;
    private final Supplier<ZoneSnapshot> zone;
    private final DnsServerMetrics metrics;
    private final boolean fastPath;
    private final LongAdder fastAnswered;
    private final EmbeddedChannel full = new EmbeddedChannel();
    private final ByteBuffer inData = ByteBuffer.allocateDirect(BATCH * SLOT);
    private final ByteBuffer outData = ByteBuffer.allocateDirect(BATCH * SLOT);
    private final ByteBuffer names = ByteBuffer.allocateDirect(BATCH * NativeUdp.NAME_SLOT).order(ByteOrder.nativeOrder());
    private final ByteBuffer inLens = ByteBuffer.allocateDirect(BATCH * 4).order(ByteOrder.nativeOrder());
    private final ByteBuffer outLens = ByteBuffer.allocateDirect(BATCH * 4).order(ByteOrder.nativeOrder());
    // Their addresses, for the native calls.
    private final long inAt = NativeUdp.address(inData);
    private final long outAt = NativeUdp.address(outData);
    private final long namesAt = NativeUdp.address(names);
    private final long inLensAt = NativeUdp.address(inLens);
    private final long outLensAt = NativeUdp.address(outLens);
    private final ByteBuf[] inSlots = slots(inData);
    private final ByteBuf[] outSlots = slots(outData);
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    /** The slot being answered: the fast path writes its answer into that slot's send buffer. */
    private int slot;
    private final IntFunction<ByteBuf> room = size -> size <= SLOT ? outSlots[slot].clear() : null;
    private volatile boolean stopping;
    private boolean closed; // under this object's lock

    private UdpBatchLoop(int fd, InetSocketAddress local, Supplier<ZoneSnapshot> zone, DnsServerMetrics metrics, boolean fastPath,
                         LongAdder fastAnswered, Consumer<ChannelPipeline> fullPath) {
        this.fd = fd;
        this.local = local;
        this.zone = zone;
        this.metrics = metrics;
        this.fastPath = fastPath;
        this.fastAnswered = fastAnswered;
        fullPath.accept(full.pipeline());
    }

    /**
     * Binds a socket to {@code local} (sharing its port with the server's other UDP sockets) and starts
     * its thread.
     *
     * @param fullPath adds the server's UDP handlers after the fast path, for what it leaves
     */
    static UdpBatchLoop start(InetSocketAddress local, String name, Supplier<ZoneSnapshot> zone, DnsServerMetrics metrics,
                              boolean fastPath, LongAdder fastAnswered, Consumer<ChannelPipeline> fullPath) throws IOException {
        int fd = NativeUdp.open(local.getAddress().getAddress(), local.getPort(), WAKE_MILLIS);
        if (fd < 0) {
            throw new IOException("UDP " + local.getAddress().getHostAddress() + ":" + local.getPort() + ": " + NativeUdp.error(-fd));
        }
        UdpBatchLoop loop = new UdpBatchLoop(fd, local, zone, metrics, fastPath, fastAnswered, fullPath);
        Thread t = new Thread(loop, name);
        t.setDaemon(true);
        t.start();
        return loop;
    }

    /** Wakes the thread and lets it close the socket; completes when it has. */
    CompletableFuture<Void> stop() {
        stopping = true;
        synchronized (this) {
            if (!closed) { // once closed, the descriptor's number may be another socket's
                NativeUdp.shutdown(fd);
            }
        }
        return done;
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                int n = NativeUdp.receive(fd, inAt, SLOT, namesAt, inLensAt, BATCH);
                if (n < 0) {
                    if (-n == EBADF || -n == EINVAL) {
                        break; // not a socket that can be read any more
                    }
                    if (-n != EAGAIN && !stopping) {
                        metrics.socketError();
                    }
                    continue;
                }
                answer(n);
                for (int refused = NativeUdp.send(fd, outAt, SLOT, namesAt, outLensAt, n); refused > 0; refused--) {
                    metrics.socketError();
                }
            }
        } finally {
            if (!stopping) {
                log.error("embedded DNS: the UDP socket on {} stopped answering: its thread ended", local);
            }
            synchronized (this) {
                closed = true;
                NativeUdp.close(fd);
            }
            full.finishAndReleaseAll();
            done.complete(null);
        }
    }

    /** Fills slot i's answer and its length (0: none) for the {@code n} queries read. */
    private void answer(int n) {
        ZoneSnapshot z = zone.get();
        int fast = 0;
        for (int i = 0; i < n; i++) {
            int len = inLens.getInt(i * 4);
            int answered = 0;
            if (len < 0) {
                metrics.malformed(); // longer than any query we take
            } else {
                ByteBuf q = inSlots[i].setIndex(0, len);
                slot = i;
                try {
                    ByteBuf a = fastPath ? FastAnswers.answer(z, q, room) : null;
                    if (a != null) {
                        answered = a.readableBytes();
                        fast++;
                    } else {
                        answered = fullPath(q, i);
                    }
                } catch (RuntimeException e) {
                    // One query our code could not take must not end the socket's thread: it goes unanswered.
                    metrics.malformed();
                    answered = 0;
                }
            }
            outLens.putInt(i * 4, answered);
        }
        if (fast > 0) {
            metrics.answeredNoError(fast);
            fastAnswered.add(fast);
        }
    }

    /** The full pipeline's answer to the query in slot i, copied into its send slot; its length, or 0. */
    private int fullPath(ByteBuf q, int i) {
        int length = 0;
        try {
            full.writeInbound(new DatagramPacket(Unpooled.copiedBuffer(q), local, peer(i)));
        } catch (RuntimeException | UnknownHostException e) {
            metrics.malformed(); // the handlers count what they reject; this is what escaped them
        }
        for (Object m; (m = full.readOutbound()) != null; ) {
            if (m instanceof DatagramPacket answer && length == 0 && answer.content().readableBytes() <= SLOT) {
                ByteBuf c = answer.content();
                length = c.readableBytes();
                outSlots[i].clear().writeBytes(c, c.readerIndex(), length);
            }
            ReferenceCountUtil.release(m);
        }
        return length;
    }

    /** The sender of slot i, from the {@code sockaddr} the kernel wrote. */
    private InetSocketAddress peer(int i) throws UnknownHostException {
        int base = i * NativeUdp.NAME_SLOT;
        int port = (names.get(base + 2) & 0xff) << 8 | names.get(base + 3) & 0xff; // network order
        if ((names.getShort(base) & 0xffff) == AF_INET6) {
            byte[] a = new byte[16];
            names.get(base + 8, a);
            int scope = names.getInt(base + 24);
            // A v4 client of a dual-stack socket comes as ::ffff:a.b.c.d, which getByAddress makes IPv4.
            return new InetSocketAddress(scope == 0 ? InetAddress.getByAddress(a) : Inet6Address.getByAddress(null, a, scope), port);
        }
        byte[] a = new byte[4];
        names.get(base + 4, a);
        return new InetSocketAddress(InetAddress.getByAddress(a), port);
    }

    private static ByteBuf[] slots(ByteBuffer data) {
        ByteBuf whole = Unpooled.wrappedBuffer(data);
        ByteBuf[] slots = new ByteBuf[BATCH];
        for (int i = 0; i < BATCH; i++) {
            slots[i] = whole.slice(i * SLOT, SLOT);
        }
        return slots;
    }
}
