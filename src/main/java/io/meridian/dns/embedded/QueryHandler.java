package io.meridian.dns.embedded;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsOpCode;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.channel.socket.SocketChannel;

import java.util.function.Supplier;

/**
 * Answers decoded queries (UDP and TCP) from the current snapshot. Packets the codec cannot decode
 * arrive as exceptions: they are counted and dropped; a UDP socket never closes because of one.
 */
@ChannelHandler.Sharable
final class QueryHandler extends SimpleChannelInboundHandler<DnsQuery> {

    private final Supplier<ZoneSnapshot> zone;
    private final DnsServerMetrics metrics;

    QueryHandler(Supplier<ZoneSnapshot> zone, DnsServerMetrics metrics) {
        this.zone = zone;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
        DnsResponse response = query instanceof DatagramDnsQuery udp
                ? new DatagramDnsResponse(udp.recipient(), udp.sender(), query.id())
                : new DefaultDnsResponse(query.id());
        response.setRecursionDesired(query.isRecursionDesired());
        response.setOpCode(query.opCode());
        DnsQuestion question = query.count(DnsSection.QUESTION) == 1 ? query.recordAt(DnsSection.QUESTION) : null;
        DnsResponseCode code;
        if (query.opCode() != DnsOpCode.QUERY) {
            code = DnsResponseCode.NOTIMP;
        } else if (question == null) {
            code = DnsResponseCode.FORMERR;
        } else {
            code = ResponseWriter.answer(zone.get(), question, response);
        }
        response.setCode(code);
        metrics.answered(code);
        ctx.writeAndFlush(response);
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
