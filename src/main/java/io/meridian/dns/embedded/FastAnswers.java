package io.meridian.dns.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * The common UDP query — one question, A or AAAA, for a service name, with no EDNS option — answered
 * straight from the packet's bytes into the response's bytes, without building Netty DNS objects.
 * Everything else (other types, unknown names, the apex, EDNS options such as Client Subnet,
 * client-specific answers, rate limiting, an answer that would need truncation, anything odd) goes
 * on to the full decoder and {@link QueryHandler}, which the tests hold this path equal to.
 *
 * <p>One per UDP socket, so on its socket's event loop only: the answers of one read batch are counted
 * and flushed together at {@code channelReadComplete}.
 */
final class FastAnswers extends ChannelInboundHandlerAdapter {

    private static final int TYPE_A = 1;
    private static final int TYPE_AAAA = 28;
    private static final int TYPE_OPT = 41;

    private final Supplier<ZoneSnapshot> zone;
    private final DnsServerMetrics metrics;
    private final boolean enabled;
    private final LongAdder answered;
    private int batch;

    /**
     * @param enabled false when the rate limit is on (it counts every query on the full path)
     * @param answered the server's count of fast answers, shared by its sockets
     */
    FastAnswers(Supplier<ZoneSnapshot> zone, DnsServerMetrics metrics, boolean enabled, LongAdder answered) {
        this.zone = zone;
        this.metrics = metrics;
        this.enabled = enabled;
        this.answered = answered;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (enabled && msg instanceof DatagramPacket packet) {
            ByteBuf answer = answer(zone.get(), packet.content(), ctx.alloc()::buffer);
            if (answer != null) {
                batch++;
                // Flushed once per read batch (channelReadComplete): one sendmmsg for the batch on epoll.
                // A send the kernel refuses comes back as exceptionCaught, below.
                ctx.write(new DatagramPacket(answer, packet.sender(), packet.recipient()), ctx.voidPromise());
                packet.release();
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (batch > 0) {
            metrics.answeredNoError(batch);
            answered.add(batch);
            batch = 0;
        }
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    /**
     * What reaches this first handler is the socket's own error (a read or a send the kernel refused),
     * never a packet's: decoding is further on. Counted, not passed on, where it would count as malformed.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            metrics.socketError();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    /**
     * The response to {@code q}, written into a buffer of at least the size asked of {@code room}, or
     * null when the full path must answer (then {@code room} was not asked, or gave null).
     */
    static ByteBuf answer(ZoneSnapshot zone, ByteBuf q, IntFunction<ByteBuf> room) {
        int len = q.readableBytes();
        int base = q.readerIndex();
        if (len < 17) {
            return null;
        }
        int flags = q.getUnsignedShort(base + 2);
        if ((flags & 0x8000) != 0 || (flags & 0x7800) != 0 || q.getUnsignedShort(base + 4) != 1
                || q.getUnsignedShort(base + 6) != 0 || q.getUnsignedShort(base + 8) != 0) {
            return null; // a response, not a standard query, or not exactly one question
        }
        int arCount = q.getUnsignedShort(base + 10);
        if (arCount > 1) {
            return null;
        }
        // The question name: plain labels only; the snapshot finds it from these bytes.
        int p = base + 12;
        while (true) {
            if (p >= base + len) {
                return null;
            }
            int label = q.getUnsignedByte(p++);
            if (label == 0) {
                break;
            }
            if (label > 63 || p + label > base + len || p + label - (base + 12) >= 255) {
                return null; // compression pointer or past 255 bytes (RFC 1035): the full decoder judges it
            }
            p += label;
        }
        if (p + 4 > base + len) {
            return null;
        }
        int type = q.getUnsignedShort(p);
        int qclass = q.getUnsignedShort(p + 2);
        int questionEnd = p + 4;
        if (qclass != 1 || type != TYPE_A && type != TYPE_AAAA) {
            return null;
        }
        int limit = 512;
        boolean edns = arCount == 1;
        int doBit = 0;
        if (edns) {
            // Only a bare OPT: root name, no options, version 0.
            int o = questionEnd;
            if (o + 11 != base + len || q.getUnsignedByte(o) != 0 || q.getUnsignedShort(o + 1) != TYPE_OPT
                    || q.getUnsignedByte(o + 6) != 0 || q.getUnsignedShort(o + 9) != 0) {
                return null;
            }
            limit = QueryHandler.udpLimit(q.getUnsignedShort(o + 3));
            doBit = q.getUnsignedShort(o + 7) & 0x8000;
        } else if (questionEnd != base + len) {
            return null;
        }
        ZoneSnapshot.Entry entry = zone.plainLookup(q, base + 12, p);
        if (entry == null) {
            return null;
        }
        List<byte[]> rdata = type == TYPE_A ? entry.pick().v4() : entry.pick().v6();
        int nameLen = questionEnd - 4 - (base + 12);
        // The size the full path would write (names uncompressed): truncation stays its decision.
        int fullSize = 12 + nameLen + 4 + (edns ? 11 : 0);
        for (byte[] r : rdata) {
            fullSize += nameLen + 10 + r.length;
        }
        if (rdata.isEmpty() || fullSize > limit) {
            return null; // NODATA (needs the SOA) or truncation
        }
        ByteBuf out = room.apply(fullSize);
        if (out == null) {
            return null;
        }
        out.writeShort(q.getUnsignedShort(base));                 // id
        out.writeShort(0x8000 | 0x0400 | (flags & 0x0100));       // QR, AA, RD as asked; NOERROR
        out.writeShort(1).writeShort(rdata.size()).writeShort(0).writeShort(edns ? 1 : 0);
        out.writeBytes(q, base + 12, questionEnd - (base + 12));  // the question, case as asked
        for (byte[] r : rdata) {
            out.writeShort(0xC00C).writeShort(type).writeShort(1).writeInt((int) entry.ttlSeconds()).writeShort(r.length).writeBytes(r);
        }
        if (edns) {
            // DNSSEC OK is copied from the query (RFC 3225), though the zone is not signed.
            out.writeByte(0).writeShort(TYPE_OPT).writeShort(QueryHandler.EDNS_UDP_SIZE).writeInt(doBit).writeShort(0);
        }
        return out;
    }
}
