package io.meridian.dns.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.util.ReferenceCountUtil;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Looks at a query's bytes before Netty's DNS decoder does, and answers what must be answered from
 * the bytes themselves: what the decoder would lose or misread (a label with a dot in it, a name
 * over 255 octets) and the protocol errors (RFC 1035, 6891, 5936): an unknown opcode (NOTIMP, RD not
 * copied), not exactly one question or two OPT records (FORMERR), an EDNS version other than 0
 * (BADVERS, with an OPT of version 0), a class other than IN, AXFR and IXFR (REFUSED). The question
 * is echoed byte for byte. A response is dropped. Everything else goes on to the decoder.
 * On TCP it sees one whole message (the length prefix already taken off) and passes it on framed again.
 */
@ChannelHandler.Sharable
final class QueryScreen extends ChannelInboundHandlerAdapter {

    static final int NOERROR = 0;
    static final int FORMERR = 1;
    static final int NXDOMAIN = 3;
    static final int NOTIMP = 4;
    static final int REFUSED = 5;
    /** Extended RCODE 16: its upper eight bits (1) go in the OPT record, the lower four (0) in the header. */
    static final int BADVERS = 16;
    private static final int TYPE_SOA = 6;
    private static final int TYPE_OPT = 41;
    private static final int TYPE_IXFR = 251;
    private static final int TYPE_AXFR = 252;
    private static final int CLASS_IN = 1;
    private static final int MAX_NAME = 255;

    private final Supplier<ZoneSnapshot> zone;
    private final DnsServerMetrics metrics;
    private final boolean tcp;

    QueryScreen(Supplier<ZoneSnapshot> zone, DnsServerMetrics metrics, boolean tcp) {
        this.zone = zone;
        this.metrics = metrics;
        this.tcp = tcp;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf q = msg instanceof DatagramPacket p ? p.content() : msg instanceof ByteBuf b ? b : null;
        if (q == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        Verdict v = judge(q);
        if (v.pass()) {
            ctx.fireChannelRead(tcp ? Unpooled.wrappedBuffer(Unpooled.buffer(2).writeShort(q.readableBytes()), q) : msg);
            return;
        }
        try {
            if (v.response() == null) {
                metrics.malformed();
                return;
            }
            metrics.answered(DnsResponseCode.valueOf(v.rcode()));
            if (msg instanceof DatagramPacket p) {
                ctx.writeAndFlush(new DatagramPacket(v.response(), p.sender(), p.recipient()));
            } else {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(Unpooled.buffer(2).writeShort(v.response().readableBytes()), v.response()));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Pass it on, drop it ({@code response} null), or answer it with {@code response}. */
    record Verdict(boolean pass, ByteBuf response, int rcode) {
        static final Verdict PASS = new Verdict(true, null, 0);
        static final Verdict DROP = new Verdict(false, null, 0);
    }

    /** What the query says about itself, as far as it could be read. */
    private static final class Query {
        int base;
        int id;
        int flags;
        int questionEnd = -1;
        boolean dottedLabel;
        boolean edns;
        int doBit;
    }

    Verdict judge(ByteBuf q) {
        int len = q.readableBytes();
        Query m = new Query();
        m.base = q.readerIndex();
        if (len < 12) {
            return Verdict.DROP; // not even a header to answer to
        }
        m.id = q.getUnsignedShort(m.base);
        m.flags = q.getUnsignedShort(m.base + 2);
        if ((m.flags & 0x8000) != 0) {
            return Verdict.DROP; // a response: never answered (no loops between servers)
        }
        int opcode = (m.flags >> 11) & 0xF;
        if (opcode != 0) {
            return error(q, m, NOTIMP, false);
        }
        if (q.getUnsignedShort(m.base + 4) != 1) {
            return error(q, m, FORMERR, false);
        }
        int end = m.base + len;
        int p = readQuestionName(q, m, m.base + 12, end);
        if (p < 0 || p + 4 > end) {
            return error(q, m, FORMERR, false);
        }
        int type = q.getUnsignedShort(p);
        int qclass = q.getUnsignedShort(p + 2);
        m.questionEnd = p + 4;
        int records = q.getUnsignedShort(m.base + 6) + q.getUnsignedShort(m.base + 8) + q.getUnsignedShort(m.base + 10);
        int additionalFrom = q.getUnsignedShort(m.base + 6) + q.getUnsignedShort(m.base + 8);
        int opts = 0;
        int version = 0;
        p = m.questionEnd;
        for (int i = 0; i < records; i++) {
            int nameStart = p;
            p = skipName(q, p, end);
            if (p < 0 || p + 10 > end) {
                return error(q, m, FORMERR, true);
            }
            int rtype = q.getUnsignedShort(p);
            long ttl = q.getUnsignedInt(p + 4);
            int rdlen = q.getUnsignedShort(p + 8);
            p += 10 + rdlen;
            if (p > end) {
                return error(q, m, FORMERR, true);
            }
            if (rtype == TYPE_OPT) {
                if (i < additionalFrom || q.getUnsignedByte(nameStart) != 0 || ++opts > 1) {
                    m.edns = false;
                    return error(q, m, FORMERR, true); // RFC 6891 6.1.1: one OPT, owner the root, in the additional section
                }
                m.edns = true;
                version = (int) (ttl >> 16) & 0xFF;
                m.doBit = (int) ttl & 0x8000;
                if (!optionsWellFormed(q, p - rdlen, p)) {
                    return error(q, m, FORMERR, true);
                }
            }
        }
        if (m.edns && version != 0) {
            return error(q, m, BADVERS, true);
        }
        if (qclass != CLASS_IN || type == TYPE_AXFR || type == TYPE_IXFR) {
            return error(q, m, REFUSED, true); // only IN data here, and no zone transfers (RFC 5936 allows refusing)
        }
        if (m.dottedLabel) {
            return dotted(q, m);
        }
        return Verdict.PASS;
    }

    /**
     * A name with a dot inside a label is no name Meridian serves, even if its labels joined with dots
     * spell one: compared label by label, it is outside the zone (REFUSED) or an unknown name in it (NXDOMAIN).
     */
    private Verdict dotted(ByteBuf q, Query m) {
        ZoneSnapshot z = zone.get();
        List<String> labels = new ArrayList<>();
        for (int p = m.base + 12, len = q.getUnsignedByte(p); len > 0; p += 1 + len, len = q.getUnsignedByte(p)) {
            labels.add(q.toString(p + 1, len, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
        }
        String[] zoneLabels = z.config.zone().split("\\.");
        boolean inZone = labels.size() > zoneLabels.length;
        for (int i = 0; inZone && i < zoneLabels.length; i++) {
            inZone = labels.get(labels.size() - zoneLabels.length + i).equals(zoneLabels[i]);
        }
        if (!inZone) {
            return error(q, m, REFUSED, true);
        }
        ByteBuf soa = Unpooled.buffer(96);
        ResponseWriter.writeName(soa, z.config.zone());
        var record = ResponseWriter.soa(z, z.config.soa().minimum().toSeconds());
        soa.writeShort(TYPE_SOA).writeShort(CLASS_IN).writeInt((int) record.timeToLive())
                .writeShort(record.content().readableBytes()).writeBytes(record.content());
        record.release();
        return respond(q, m, NXDOMAIN, true, true, soa);
    }

    /** The EDNS options fill the OPT's data exactly, and a Client Subnet option is as RFC 7871 7.1.1 wants it. */
    private static boolean optionsWellFormed(ByteBuf q, int p, int end) {
        while (p < end) {
            if (p + 4 > end) {
                return false;
            }
            int code = q.getUnsignedShort(p);
            int len = q.getUnsignedShort(p + 2);
            p += 4;
            if (p + len > end || code == ClientLocator.ECS_OPTION && !clientSubnetWellFormed(q, p, len)) {
                return false;
            }
            p += len;
        }
        return true;
    }

    /**
     * A known family, a source prefix it can hold, scope 0 (a query's), exactly as many address octets as
     * the prefix needs and no bit set beyond it: otherwise FORMERR, as RFC 7871 7.1.1 says.
     */
    private static boolean clientSubnetWellFormed(ByteBuf q, int p, int len) {
        if (len < 4) {
            return false;
        }
        int family = q.getUnsignedShort(p);
        int source = q.getUnsignedByte(p + 2);
        int max = family == 1 ? 32 : family == 2 ? 128 : -1;
        int octets = (source + 7) / 8;
        if (max < 0 || source > max || q.getUnsignedByte(p + 3) != 0 || len - 4 != octets) {
            return false;
        }
        return source % 8 == 0 || (q.getUnsignedByte(p + 4 + octets - 1) & (0xFF >> (source % 8))) == 0;
    }

    /**
     * The offset after the question's name, or -1 when it is not a valid name; notes a dot inside a label
     * (the labels themselves are read only then, see {@link #dotted}: this runs for every full-path query).
     */
    private static int readQuestionName(ByteBuf q, Query m, int p, int end) {
        int wire = 0;
        while (p < end) {
            int label = q.getUnsignedByte(p++);
            wire++;
            if (label == 0) {
                return wire <= MAX_NAME ? p : -1;
            }
            if ((label & 0xC0) != 0 || p + label > end) {
                return -1; // a compression pointer cannot point anywhere before the first name; 0x40/0x80 are reserved
            }
            wire += label;
            if (wire > MAX_NAME) {
                return -1; // RFC 1035 2.3.4: 255 octets at most
            }
            m.dottedLabel |= q.indexOf(p, p + label, (byte) '.') >= 0;
            p += label;
        }
        return -1;
    }

    /** The offset after a name in a record (labels, possibly ending in a pointer); -1 when it runs off. */
    private static int skipName(ByteBuf q, int p, int end) {
        while (p < end) {
            int label = q.getUnsignedByte(p);
            if ((label & 0xC0) == 0xC0) {
                return p + 2 <= end ? p + 2 : -1;
            }
            if ((label & 0xC0) != 0) {
                return -1;
            }
            p += 1 + label;
            if (label == 0) {
                return p;
            }
        }
        return -1;
    }

    private Verdict error(ByteBuf q, Query m, int rcode, boolean echoQuestion) {
        return respond(q, m, rcode, echoQuestion && m.questionEnd > 0, false, null);
    }

    private static Verdict respond(ByteBuf q, Query m, int rcode, boolean question, boolean authoritative, ByteBuf authority) {
        ByteBuf out = Unpooled.buffer(512);
        int opcode = m.flags & 0x7800;
        int rd = opcode == 0 ? m.flags & 0x0100 : 0; // RD is copied only for a standard query
        out.writeShort(m.id);
        out.writeShort(0x8000 | opcode | (authoritative ? 0x0400 : 0) | rd | (rcode & 0xF));
        out.writeShort(question ? 1 : 0).writeShort(0).writeShort(authority == null ? 0 : 1).writeShort(m.edns ? 1 : 0);
        if (question) {
            out.writeBytes(q, m.base + 12, m.questionEnd - (m.base + 12));
        }
        if (authority != null) {
            out.writeBytes(authority);
            authority.release();
        }
        if (m.edns) {
            // Our OPT: version 0, the upper bits of the extended RCODE, the DO bit as asked (RFC 3225).
            out.writeByte(0).writeShort(TYPE_OPT).writeShort(QueryHandler.EDNS_UDP_SIZE)
                    .writeByte(rcode >> 4).writeByte(0).writeShort(m.doBit).writeShort(0);
        }
        return new Verdict(false, out, rcode);
    }
}
