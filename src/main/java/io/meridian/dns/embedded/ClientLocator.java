package io.meridian.dns.embedded;

import io.meridian.config.ClientRule;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * Places a DNS client in a region through the CIDR table of {@code meridian.yaml}: by the EDNS
 * Client Subnet option (RFC 7871) when the resolver sends one, else by the resolver's own address.
 */
final class ClientLocator {

    static final int ECS_OPTION = 8;

    /** Where a client was placed, and the ECS scope to echo when the query carried ECS. */
    record Placement(String region, int scopePrefix) {
    }

    /** An EDNS Client Subnet option: family 1 (IPv4) or 2 (IPv6), address zero-padded to 4 or 16 bytes. */
    record Ecs(int family, int sourcePrefix, byte[] address) {
    }

    private volatile List<ClientRule> rules; // replaced whole by a reload, read by every event loop

    ClientLocator(List<ClientRule> rules) {
        this.rules = List.copyOf(rules);
    }

    void replace(List<ClientRule> next) {
        rules = List.copyOf(next);
    }

    boolean enabled() {
        return !rules.isEmpty();
    }

    Optional<Placement> locate(Optional<Ecs> clientSubnet, InetSocketAddress resolver) {
        byte[] address = clientSubnet.map(Ecs::address)
                .orElseGet(() -> resolver == null ? new byte[0] : resolver.getAddress().getAddress());
        List<ClientRule> current = rules;
        for (ClientRule r : current) {
            if (r.matches(address)) {
                return Optional.of(new Placement(r.region(), r.prefix()));
            }
        }
        return Optional.empty();
    }

    /** The query's OPT record, if it has one (EDNS). */
    static Optional<DnsRawRecord> opt(DnsQuery query) {
        int n = query.count(DnsSection.ADDITIONAL);
        for (int i = 0; i < n; i++) {
            DnsRecord r = query.recordAt(DnsSection.ADDITIONAL, i);
            if (r.type() == DnsRecordType.OPT && r instanceof DnsRawRecord raw) {
                return Optional.of(raw);
            }
        }
        return Optional.empty();
    }

    /** The ECS option of the query's OPT record; empty without one or when it is malformed. */
    static Optional<Ecs> clientSubnet(DnsQuery query) {
        return opt(query).flatMap(raw -> ecs(raw.content()));
    }

    private static Optional<Ecs> ecs(ByteBuf options) {
        ByteBuf b = options.duplicate();
        while (b.readableBytes() >= 4) {
            int code = b.readUnsignedShort();
            int length = b.readUnsignedShort();
            if (length > b.readableBytes()) {
                return Optional.empty(); // malformed option: ignore rather than guess
            }
            if (code != ECS_OPTION || length < 4) {
                b.skipBytes(length);
                continue;
            }
            int family = b.readUnsignedShort();
            int sourcePrefix = b.readUnsignedByte();
            b.skipBytes(1); // scope prefix, 0 in queries
            int bytes = length - 4;
            int size = family == 1 ? 4 : family == 2 ? 16 : -1;
            if (size < 0 || bytes > size || sourcePrefix > size * 8) {
                return Optional.empty();
            }
            byte[] address = new byte[size];
            b.readBytes(address, 0, bytes);
            return Optional.of(new Ecs(family, sourcePrefix, address));
        }
        return Optional.empty();
    }
}
