package io.meridian.dns.embedded;

import io.meridian.config.SoaConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;

import java.nio.charset.StandardCharsets;

/**
 * Fills a response from a snapshot: A/AAAA for services, SOA at the apex and in negative answers
 * (RFC 2308), NXDOMAIN for unknown names in the zone (SERVFAIL until the first answers arrive), REFUSED outside it.
 */
final class ResponseWriter {

    private ResponseWriter() {
    }

    /** @param clientRegion the region the client was placed in, or null */
    static DnsResponseCode answer(ZoneSnapshot zone, DnsQuestion question, DnsResponse response, String clientRegion) {
        response.addRecord(DnsSection.QUESTION, question);
        String name = ZoneSnapshot.normalize(question.name());
        if (!zone.inZone(name)) {
            response.setAuthoritativeAnswer(false);
            return DnsResponseCode.REFUSED;
        }
        response.setAuthoritativeAnswer(true);
        DnsRecordType type = question.type();
        ZoneSnapshot.Entry entry = zone.lookup(name);
        boolean apex = zone.isApex(name);
        if (entry == null && !apex) {
            if (!zone.loaded) {
                return DnsResponseCode.SERVFAIL; // not NXDOMAIN before the first answers: see ZoneSnapshot.loaded
            }
            response.addRecord(DnsSection.AUTHORITY, soa(zone, zone.config.soa().minimum().toSeconds()));
            return DnsResponseCode.NXDOMAIN;
        }
        int answers = 0;
        // ANY gets one RRset, not everything (RFC 8482): the A/AAAA set of a service, else the apex SOA.
        boolean any = type == DnsRecordType.ANY;
        if (apex && (type == DnsRecordType.SOA || any && entry == null)) {
            response.addRecord(DnsSection.ANSWER, soa(zone, zone.config.soa().ttl().toSeconds()));
            answers++;
        }
        if (apex && type == DnsRecordType.NS) {
            for (String ns : zone.config.nameservers()) {
                ByteBuf rdata = Unpooled.buffer(32);
                writeName(rdata, ns);
                response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.NS,
                        zone.config.soa().ttl().toSeconds(), rdata));
                answers++;
                glue(zone, ns, response);
            }
        }
        if (entry != null && (type == DnsRecordType.A || type == DnsRecordType.AAAA || any)) {
            ZoneSnapshot.Entry forClient = entry.forClient(clientRegion);
            ZoneSnapshot.WireSet set = forClient.pick();
            boolean v4 = type == DnsRecordType.A || any && !set.v4().isEmpty();
            if (v4) {
                for (byte[] a : set.v4()) {
                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.A,
                            entry.ttlSeconds(), Unpooled.wrappedBuffer(a)));
                    answers++;
                }
            }
            if (type == DnsRecordType.AAAA || any && !v4) {
                for (byte[] a : set.v6()) {
                    response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(question.name(), DnsRecordType.AAAA,
                            entry.ttlSeconds(), Unpooled.wrappedBuffer(a)));
                    answers++;
                }
            }
        }
        if (answers == 0) {
            // NODATA: the name exists, the type does not.
            response.addRecord(DnsSection.AUTHORITY, soa(zone, zone.config.soa().minimum().toSeconds()));
        }
        return DnsResponseCode.NOERROR;
    }

    /** The addresses of a nameserver inside the zone, in the additional section of an NS answer. */
    private static void glue(ZoneSnapshot zone, String ns, DnsResponse response) {
        java.util.List<String> addresses = zone.config.glue().get(ZoneSnapshot.normalize(ns));
        ZoneSnapshot.Entry entry = addresses == null ? null : zone.lookup(ZoneSnapshot.normalize(ns));
        if (entry == null) {
            return;
        }
        for (byte[] a : entry.pick().v4()) {
            response.addRecord(DnsSection.ADDITIONAL, new DefaultDnsRawRecord(ns + ".", DnsRecordType.A, entry.ttlSeconds(), Unpooled.wrappedBuffer(a)));
        }
        for (byte[] a : entry.pick().v6()) {
            response.addRecord(DnsSection.ADDITIONAL, new DefaultDnsRawRecord(ns + ".", DnsRecordType.AAAA, entry.ttlSeconds(), Unpooled.wrappedBuffer(a)));
        }
    }

    /** The size of {@code r} on the wire, as Netty's encoder writes it (names uncompressed). */
    static int wireSize(DnsResponse r) {
        int size = 12;
        for (DnsSection section : DnsSection.values()) {
            for (int i = 0; i < r.count(section); i++) {
                var rec = r.recordAt(section, i);
                size += nameSize(rec.name()) + (section == DnsSection.QUESTION ? 4 : 10);
                if (rec instanceof io.netty.handler.codec.dns.DnsRawRecord raw) {
                    size += raw.content().readableBytes();
                }
            }
        }
        return size;
    }

    /** Labels plus length bytes plus the root: the text length plus 2, or plus 1 with a trailing dot. */
    private static int nameSize(String name) {
        if (name.isEmpty() || name.equals(".")) {
            return 1;
        }
        return name.length() + (name.endsWith(".") ? 1 : 2);
    }

    /** The zone's SOA; in negative answers its TTL is the negative-caching TTL (RFC 2308 section 3). */
    static DefaultDnsRawRecord soa(ZoneSnapshot zone, long ttl) {
        SoaConfig soa = zone.config.soa();
        ByteBuf rdata = Unpooled.buffer(64);
        writeName(rdata, soa.mname());
        writeName(rdata, soa.rname());
        rdata.writeInt((int) zone.serial);
        rdata.writeInt((int) soa.refresh().toSeconds());
        rdata.writeInt((int) soa.retry().toSeconds());
        rdata.writeInt((int) soa.expire().toSeconds());
        rdata.writeInt((int) soa.minimum().toSeconds());
        return new DefaultDnsRawRecord(zone.config.zone() + ".", DnsRecordType.SOA, ttl, rdata);
    }

    /** Uncompressed wire form of a name (RFC 1035 section 3.1). */
    static void writeName(ByteBuf out, String name) {
        for (String label : ZoneSnapshot.normalize(name).split("\\.")) {
            if (label.isEmpty()) {
                continue;
            }
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            out.writeByte(bytes.length);
            out.writeBytes(bytes);
        }
        out.writeByte(0);
    }
}
