package io.meridian.dns.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.channel.socket.SocketChannel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers decoded queries (UDP and TCP) from the current snapshot. Packets the codec cannot decode
 * arrive as exceptions: they are counted and dropped; a UDP socket never closes because of one.
 */
@ChannelHandler.Sharable
final class QueryHandler extends SimpleChannelInboundHandler<DnsQuery> {

    /** The UDP payload size advertised in answers to EDNS queries. */
    static final int EDNS_UDP_SIZE = 1232;

    private final Supplier<ZoneSnapshot> zone;
    private final DnsServerMetrics metrics;
    private final ClientLocator locator;

    private final RateLimiter limiter;

    QueryHandler(Supplier<ZoneSnapshot> zone, DnsServerMetrics metrics, ClientLocator locator, RateLimiter limiter) {
        this.zone = zone;
        this.metrics = metrics;
        this.locator = locator;
        this.limiter = limiter;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
        InetSocketAddress source = query instanceof DatagramDnsQuery udp ? udp.sender()
                : ctx.channel().remoteAddress() instanceof InetSocketAddress a ? a : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (limiter.enabled() && !limiter.allow(source.getAddress())) {
            metrics.rateLimited();
            return; // dropped: a flood from one address must not starve the others
        }
        DnsResponse response = query instanceof DatagramDnsQuery udp
                ? new DatagramDnsResponse(udp.recipient(), udp.sender(), query.id())
                : new DefaultDnsResponse(query.id());
        response.setRecursionDesired(query.opCode() == DnsOpCode.QUERY && query.isRecursionDesired());
        response.setOpCode(query.opCode());
        DnsQuestion question = query.count(DnsSection.QUESTION) == 1 ? query.recordAt(DnsSection.QUESTION) : null;
        DnsResponseCode code;
        if (query.opCode() != DnsOpCode.QUERY) {
            code = DnsResponseCode.NOTIMP;
        } else if (question == null) {
            code = DnsResponseCode.FORMERR;
        } else {
            Optional<DnsRawRecord> opt = ClientLocator.opt(query);
            Optional<ClientLocator.Ecs> ecs = opt.isPresent() ? ClientLocator.clientSubnet(query) : Optional.empty();
            Optional<ClientLocator.Placement> placement = locator.enabled()
                    ? locator.locate(ecs, source)
                    : Optional.empty();
            code = ResponseWriter.answer(zone.get(), question, response, placement.map(ClientLocator.Placement::region).orElse(null));
            opt.ifPresent(o -> response.addRecord(DnsSection.ADDITIONAL, optRecord(ecs, placement, o.timeToLive() & 0x8000)));
            if (query instanceof DatagramDnsQuery) {
                // Over UDP an answer must fit what the client takes: 512 bytes, or its EDNS size (RFC 6891).
                int limit = opt.map(o -> udpLimit(o.dnsClass())).orElse(512);
                if (ResponseWriter.wireSize(response) > limit) {
                    response.clear(DnsSection.ANSWER);
                    response.clear(DnsSection.AUTHORITY);
                    response.setTruncated(true); // the client retries over TCP
                    metrics.truncated();
                }
            }
        }
        response.setCode(code);
        metrics.answered(code);
        ctx.writeAndFlush(response);
    }

    /** The largest UDP answer for a client that advertises {@code ednsSize}: at least 512, at most ours. */
    static int udpLimit(int ednsSize) {
        return Math.max(512, Math.min(EDNS_UDP_SIZE, ednsSize));
    }

    /**
     * Our OPT record: the UDP size we accept, the DO bit as the query had it (RFC 3225), and the client
     * subnet echoed with the scope our answer holds for.
     */
    private static DefaultDnsRawRecord optRecord(Optional<ClientLocator.Ecs> ecs, Optional<ClientLocator.Placement> placement, long doBit) {
        ByteBuf options = Unpooled.buffer(ecs.isPresent() ? 24 : 0);
        ecs.ifPresent(e -> {
            int bytes = (e.sourcePrefix() + 7) / 8;
            options.writeShort(ClientLocator.ECS_OPTION);
            options.writeShort(4 + bytes);
            options.writeShort(e.family());
            options.writeByte(e.sourcePrefix());
            options.writeByte(placement.map(p -> Math.min(p.scopePrefix(), e.address().length * 8)).orElse(0));
            options.writeBytes(e.address(), 0, bytes);
        });
        return new DefaultDnsRawRecord(".", DnsRecordType.OPT, EDNS_UDP_SIZE, doBit, options);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        metrics.malformed();
        if (ctx.channel() instanceof SocketChannel) {
            // A TCP stream that failed to decode cannot be re-synchronised.
            ctx.close();
        }
    }
}
