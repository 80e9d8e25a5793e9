package io.meridian.dns.embedded;

import io.meridian.config.DnsConfig;
import io.meridian.config.HostPort;
import io.meridian.config.SoaConfig;
import io.meridian.dns.DnsChange;
import io.meridian.dns.RecordSet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedDnsServerTest {

    private static final SoaConfig SOA = SoaConfig.defaults("example.test");
    private static final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private static EmbeddedDnsServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        server = new EmbeddedDnsServer(new DnsConfig("example.test", new HostPort("127.0.0.1", 0), SOA), registry, 1000);
        port = server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.apply(List.of(
                new DnsChange("app.example.test", Duration.ofSeconds(30),
                        List.of(new RecordSet("us-east", 1, List.of("127.0.1.1", "127.0.1.2", "::1")))),
                new DnsChange("many.example.test", Duration.ofSeconds(5), List.of(new RecordSet("x", 1,
                        java.util.stream.IntStream.rangeClosed(1, 25).mapToObj(i -> "10.0.0." + i).toList()))),
                new DnsChange("www.example.test", Duration.ofSeconds(5),
                        List.of(new RecordSet("us-east", 3, List.of("127.0.1.1")), new RecordSet("eu-west", 1, List.of("127.0.2.1"))))));
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Message query(String name, int type, boolean tcp) throws Exception {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(port);
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(2));
        return r.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
    }

    private static List<String> addresses(Message m) {
        return m.getSection(Section.ANSWER).stream().map(r -> r.rdataToString()).toList();
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void answersAWithTheConfiguredTtlAndTheAaFlag(boolean tcp) throws Exception {
        Message m = query("app.example.test", Type.A, tcp);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(addresses(m)).containsExactly("127.0.1.1", "127.0.1.2");
        assertThat(m.getSection(Section.ANSWER)).allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(30));
    }

    /** A resolver would cache NXDOMAIN for the SOA minimum: a server just started must not say a service does not exist. */
    @Test
    void beforeTheFirstAnswersAnUnknownNameIsServfailNotNxdomain() throws Exception {
        EmbeddedDnsServer fresh = new EmbeddedDnsServer(new DnsConfig("example.test", new HostPort("127.0.0.1", 0), SOA),
                new SimpleMeterRegistry(), 1);
        int freshPort = fresh.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            for (boolean tcp : new boolean[] {false, true}) {
                SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
                r.setPort(freshPort);
                r.setTCP(tcp);
                Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString("app.example.test."), Type.A, DClass.IN)));
                assertThat(m.getRcode()).as("tcp=" + tcp).isEqualTo(Rcode.SERVFAIL);
                assertThat(r.send(Message.newQuery(Record.newRecord(Name.fromString("example.test."), Type.SOA, DClass.IN))).getRcode())
                        .as("the apex answers").isEqualTo(Rcode.NOERROR);
            }
            fresh.apply(List.of(new DnsChange("www.example.test", Duration.ofSeconds(5), List.of(new RecordSet("x", 1, List.of("127.0.1.1"))))));
            SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
            r.setPort(freshPort);
            assertThat(r.send(Message.newQuery(Record.newRecord(Name.fromString("app.example.test."), Type.A, DClass.IN))).getRcode())
                    .as("once answers are loaded, unknown is unknown").isEqualTo(Rcode.NXDOMAIN);
        } finally {
            fresh.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void answersNsAtTheApexAndAnyWithOneRrset() throws Exception {
        assertThat(addresses(query("example.test", Type.NS, false))).containsExactly("ns1.example.test.");
        Message any = query("app.example.test", Type.ANY, false);
        assertThat(any.getSection(Section.ANSWER)).extracting(Record::getType).containsOnly(Type.A);
        assertThat(query("example.test", Type.ANY, false).getSection(Section.ANSWER)).extracting(Record::getType).containsExactly(Type.SOA);
    }

    @Test
    void truncatesUdpAnswersTooLargeForTheClientAndAnswersWholeOverTcp() throws Exception {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(port);
        r.setEDNS(-1);
        r.setIgnoreTruncation(true);
        Message small = r.send(Message.newQuery(Record.newRecord(Name.fromString("many.example.test."), Type.A, DClass.IN)));
        assertThat(small.getHeader().getFlag(Flags.TC)).as("25 A records do not fit 512 bytes").isTrue();
        assertThat(small.getSection(Section.ANSWER)).isEmpty();
        assertThat(addresses(query("many.example.test", Type.A, true))).hasSize(25);
        SimpleResolver edns = new SimpleResolver(InetAddress.getLoopbackAddress());
        edns.setPort(port);
        edns.setEDNS(0, 1232, 0, List.of());
        edns.setIgnoreTruncation(true);
        Message big = edns.send(Message.newQuery(Record.newRecord(Name.fromString("many.example.test."), Type.A, DClass.IN)));
        assertThat(big.getHeader().getFlag(Flags.TC)).as("they fit the 1232 bytes EDNS allows").isFalse();
        assertThat(big.getSection(Section.ANSWER)).hasSize(25);
        assertThat(big.getOPT().getPayloadSize()).isEqualTo(1232);
    }

    @Test
    void aRateLimitDropsAFloodFromOneSource() throws Exception {
        EmbeddedDnsServer limited = new EmbeddedDnsServer(new DnsConfig("example.test", new HostPort("127.0.0.1", 0), SOA,
                List.of("ns1.example.test"), 5), registry, 1);
        int p = limited.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            limited.apply(List.of(new DnsChange("app.example.test", Duration.ofSeconds(5), List.of(new RecordSet("x", 1, List.of("127.0.1.1"))))));
            SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
            r.setPort(p);
            r.setTimeout(Duration.ofMillis(150));
            int answered = 0;
            for (int i = 0; i < 20; i++) {
                try {
                    r.send(Message.newQuery(Record.newRecord(Name.fromString("app.example.test."), Type.A, DClass.IN)));
                    answered++;
                } catch (java.io.IOException timeout) {
                    // dropped by the limit
                }
            }
            assertThat(answered).as("5 per second per source: a burst of 20 is cut").isBetween(5, 19);
            assertThat(registry.get("meridian.dns.ratelimited").counter().count()).isPositive();
        } finally {
            limited.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void answersAaaaFromTheSameSet() throws Exception {
        assertThat(addresses(query("APP.Example.TEST", Type.AAAA, false))).containsExactly("0:0:0:0:0:0:0:1");
    }

    @Test
    void answersSoaAtTheApex() throws Exception {
        Message m = query("example.test", Type.SOA, false);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        SOARecord soa = (SOARecord) m.getSection(Section.ANSWER).get(0);
        assertThat(soa.getHost().toString()).isEqualTo("ns1.example.test.");
        assertThat(soa.getAdmin().toString()).isEqualTo("hostmaster.example.test.");
        assertThat(soa.getSerial()).isEqualTo(server.serial());
        assertThat(soa.getMinimum()).isEqualTo(30);
        assertThat(soa.getTTL()).isEqualTo(3600);
    }

    @Test
    void answersNxdomainWithTheSoaForUnknownNamesInTheZone() throws Exception {
        Message m = query("nope.example.test", Type.A, false);
        assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.AUTHORITY)).singleElement()
                .satisfies(r -> assertThat(r.getType()).isEqualTo(Type.SOA))
                .satisfies(r -> assertThat(r.getTTL()).isEqualTo(30));
    }

    @Test
    void answersNodataWithTheSoaForAKnownNameOfAnotherType() throws Exception {
        Message m = query("app.example.test", Type.MX, false);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
        assertThat(m.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
    }

    @Test
    void refusesNamesOutsideTheZone() throws Exception {
        Message m = query("example.org", Type.A, false);
        assertThat(m.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
    }

    @Test
    void picksWeightedSetsInProportion() throws Exception {
        int us = 0;
        for (int i = 0; i < 400; i++) {
            List<String> a = addresses(query("www.example.test", Type.A, false));
            assertThat(a).hasSize(1);
            us += a.get(0).equals("127.0.1.1") ? 1 : 0;
        }
        // weight 3:1 -> 300 expected; 240..360 is about 7 standard deviations wide.
        assertThat(us).isBetween(240, 360);
    }

    @Test
    void dropsAndCountsMalformedPacketsAndKeepsAnswering() throws Exception {
        double before = server.malformedPackets();
        try (DatagramSocket s = new DatagramSocket()) {
            byte[][] junk = {{1, 2, 3}, new byte[512], "GET / HTTP/1.1\r\n\r\n".getBytes()};
            junk[1][2] = (byte) 0x80; // QR=1: a response, not a query
            junk[1][5] = 1;
            for (byte[] b : junk) {
                s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
            }
        }
        // The HTTP line reads as a header with opcode 10: it is answered NOTIMP (RFC 1035 4.1.1), not dropped.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> server.malformedPackets() - before >= 2);
        assertThat(query("app.example.test", Type.A, false).getRcode()).isEqualTo(Rcode.NOERROR);
    }

    @Test
    void changesAreAtomicAndBumpTheSerial() throws Exception {
        long serial = server.serial();
        server.apply(List.of(new DnsChange("tmp.example.test", Duration.ofSeconds(1), List.of(new RecordSet("x", 1, List.of("127.0.9.9"))))));
        assertThat(server.serial()).isEqualTo(serial + 1);
        assertThat(addresses(query("tmp.example.test", Type.A, true))).containsExactly("127.0.9.9");
        assertThat(server.apply(List.of(new DnsChange("tmp.example.org", Duration.ofSeconds(1), List.of()))).failed()).isTrue();
        assertThat(server.serial()).as("a refused change set changes nothing").isEqualTo(serial + 1);
    }
}
