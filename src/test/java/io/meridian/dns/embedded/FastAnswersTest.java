package io.meridian.dns.embedded;

import io.meridian.config.DnsConfig;
import io.meridian.config.HostPort;
import io.meridian.config.SoaConfig;
import io.meridian.dns.DnsChange;
import io.meridian.dns.RecordSet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
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

/** The fast UDP path answers exactly what the full path (here: the same query over TCP) answers, or leaves it to it. */
class FastAnswersTest {

    private static EmbeddedDnsServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        SoaConfig soa = SoaConfig.defaults("example.test");
        server = new EmbeddedDnsServer(new DnsConfig("example.test", new HostPort("127.0.0.1", 0), soa), new SimpleMeterRegistry(), 1);
        port = server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.apply(List.of(
                new DnsChange("app.example.test", Duration.ofSeconds(30), List.of(new RecordSet("x", 1, List.of("127.0.1.1", "127.0.1.2", "::1")))),
                new DnsChange("v4.example.test", Duration.ofSeconds(7), List.of(new RecordSet("x", 1, List.of("127.0.3.1")))),
                new DnsChange("many.example.test", Duration.ofSeconds(5), List.of(new RecordSet("x", 1,
                        java.util.stream.IntStream.rangeClosed(1, 30).mapToObj(i -> "10.0.0." + i).toList())))));
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Sends {@code query} over UDP exactly as built (dnsjava's resolver would add EDNS by itself). */
    private static Message udp(Message query) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(2000);
            byte[] wire = query.toWire();
            s.send(new DatagramPacket(wire, wire.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            s.receive(p);
            return new Message(java.util.Arrays.copyOf(p.getData(), p.getLength()));
        }
    }

    private static Message tcp(Message query) throws Exception {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(port);
        r.setTCP(true);
        r.setEDNS(-1);
        return r.send(query);
    }

    private static List<String> records(Message m, int section) {
        return m.getSection(section).stream().map(r -> r.getName() + " " + Type.string(r.getType()) + " " + r.getTTL() + " " + r.rdataToString())
                .sorted().toList();
    }

    @ParameterizedTest(name = "{0} {1} edns={2}")
    @CsvSource({
            "app.example.test, A, false, true", "app.example.test, AAAA, false, true", "APP.Example.TEST, A, true, true",
            "v4.example.test, AAAA, false, false", "nope.example.test, A, false, false", "example.test, A, true, false",
            "many.example.test, A, false, false", "many.example.test, A, true, true", "app.example.test, MX, false, false",
            "app.other.test, A, false, false", "app\\.example.test, A, false, false", "V4.EXAMPLE.TEST, A, true, true",
            "app.example.test.example.test, A, false, false"})
    void answersAsTheFullPathDoes(String name, String type, boolean edns, boolean fast) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.value(type), DClass.IN));
        if (edns) {
            query.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        }
        long before = server.fastAnswers();
        Message viaUdp = udp(query);
        assertThat(server.fastAnswers() - before).as("answered on the fast path").isEqualTo(fast ? 1 : 0);
        Message viaTcp = tcp(Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.value(type), DClass.IN)));
        assertThat(viaUdp.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(viaUdp.getRcode()).isEqualTo(viaTcp.getRcode());
        for (int flag : new int[] {Flags.QR, Flags.AA, Flags.RD}) {
            assertThat(viaUdp.getHeader().getFlag(flag)).as("flag " + Flags.string(flag)).isEqualTo(viaTcp.getHeader().getFlag(flag));
        }
        assertThat(viaUdp.getQuestion().getName().toString()).as("the name as asked").isEqualTo(name + ".");
        if (!viaUdp.getHeader().getFlag(Flags.TC)) {
            assertThat(records(viaUdp, Section.ANSWER)).isEqualTo(records(viaTcp, Section.ANSWER));
            assertThat(records(viaUdp, Section.AUTHORITY)).isEqualTo(records(viaTcp, Section.AUTHORITY));
        }
        assertThat(viaUdp.getOPT() != null).as("OPT answered when asked").isEqualTo(edns);
    }
}
