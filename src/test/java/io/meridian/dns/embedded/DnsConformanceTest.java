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
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a strict DNS client expects of an authoritative server (RFC 1035, 2308, 3225, 5936, 6891,
 * 7766, 8482), each rule over UDP and TCP; over UDP a plain A query of a service goes on the fast
 * path, everything else on the full one. Every reply is parsed by dnsjava, so one that is not valid
 * DNS fails the test.
 */
class DnsConformanceTest {

    private static EmbeddedDnsServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        server = new EmbeddedDnsServer(new DnsConfig("example.test", new HostPort("127.0.0.1", 0), SoaConfig.defaults("example.test")),
                new SimpleMeterRegistry(), 7);
        port = server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.apply(List.of(new DnsChange("app.example.test", Duration.ofSeconds(30), List.of(new RecordSet("x", 1, List.of("127.0.1.1"))))));
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static byte[] exchange(byte[] query, boolean tcp) throws Exception {
        return exchange(query, tcp, port);
    }

    private static byte[] exchange(byte[] query, boolean tcp, int port) throws Exception {
        if (tcp) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(2000);
                OutputStream out = s.getOutputStream();
                out.write(ByteBuffer.allocate(2 + query.length).putShort((short) query.length).put(query).array());
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] answer = new byte[in.readUnsignedShort()];
                in.readFully(answer);
                return answer;
            }
        }
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(2000);
            s.send(new DatagramPacket(query, query.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            s.receive(p);
            return Arrays.copyOf(p.getData(), p.getLength());
        }
    }

    private static Message send(Message query, boolean tcp) throws Exception {
        return send(query, tcp, port);
    }

    private static Message send(Message query, boolean tcp, int port) throws Exception {
        return new Message(exchange(query.toWire(), tcp, port));
    }

    private static Message query(String name, int type, int dclass) throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, dclass));
    }

    private static Message withOpt(Message m, OPTRecord opt) {
        m.addRecord(opt, Section.ADDITIONAL);
        return m;
    }

    /** A query written by hand: header (id 0x1234, the given flags, one question) and the question's wire bytes. */
    private static byte[] raw(int flags, byte[] name, int type) {
        ByteBuffer b = ByteBuffer.allocate(12 + name.length + 4);
        b.putShort((short) 0x1234).putShort((short) flags).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        b.put(name).putShort((short) type).putShort((short) DClass.IN);
        return b.array();
    }

    private static byte[] labels(String... labels) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String l : labels) {
            out.write(l.length());
            out.writeBytes(l.getBytes(StandardCharsets.ISO_8859_1));
        }
        out.write(0);
        return out.toByteArray();
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void anEdnsVersionOtherThanZeroGetsBadversWithAnOptOfVersionZero(boolean tcp) throws Exception {
        Message m = send(withOpt(query("app.example.test.", Type.A, DClass.IN), new OPTRecord(1232, 0, 1)), tcp);
        assertThat(m.getRcode()).isEqualTo(Rcode.BADVERS);
        assertThat(m.getOPT().getVersion()).isZero();
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
        assertThat(m.getQuestion().getName().toString()).isEqualTo("app.example.test.");
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void twoOptRecordsAreAFormatError(boolean tcp) throws Exception {
        Message q = withOpt(withOpt(query("app.example.test.", Type.A, DClass.IN), new OPTRecord(1232, 0, 0)), new OPTRecord(1232, 0, 0));
        assertThat(send(q, tcp).getRcode()).isEqualTo(Rcode.FORMERR);
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void theDoBitIsCopiedIntoTheAnswerOnBothPaths(boolean tcp) throws Exception {
        long fastBefore = server.fastAnswers();
        Message plain = send(withOpt(query("app.example.test.", Type.A, DClass.IN), new OPTRecord(1232, 0, 0, ExtendedFlags.DO)), tcp);
        assertThat(plain.getOPT().getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
        assertThat(server.fastAnswers() - fastBefore).as("over UDP it took the fast path").isEqualTo(tcp ? 0 : 1);
        Message withEcs = send(withOpt(query("app.example.test.", Type.A, DClass.IN), new OPTRecord(1232, 0, 0, ExtendedFlags.DO,
                List.of(new ClientSubnetOption(24, InetAddress.getByName("192.0.2.0"))))), tcp);
        assertThat(withEcs.getOPT().getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);
        Message without = send(withOpt(query("app.example.test.", Type.A, DClass.IN), new OPTRecord(1232, 0, 0)), tcp);
        assertThat(without.getOPT().getFlags() & ExtendedFlags.DO).isZero();
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void zoneTransfersAreRefused(boolean tcp) throws Exception {
        assertThat(send(query("example.test.", Type.AXFR, DClass.IN), tcp).getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(send(query("example.test.", Type.IXFR, DClass.IN), tcp).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void onlyInternetClassQuestionsGetData(boolean tcp) throws Exception {
        for (int dclass : List.of(DClass.CH, DClass.HS, DClass.ANY)) {
            Message m = send(query("app.example.test.", Type.A, dclass), tcp);
            assertThat(m.getRcode()).as(DClass.string(dclass)).isEqualTo(Rcode.REFUSED);
            assertThat(m.getSection(Section.ANSWER)).isEmpty();
        }
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void namesAreComparedLabelByLabelAndTheQuestionIsEchoedAsAsked(boolean tcp) throws Exception {
        // One label "app.example.test" at the root: not the service, and outside the zone.
        byte[] oneLabel = labels("app.example.test");
        byte[] reply = exchange(raw(0x0100, oneLabel, Type.A), tcp);
        Message m = new Message(reply);
        assertThat(m.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(Arrays.copyOfRange(reply, 12, 12 + oneLabel.length)).as("the question, byte for byte").isEqualTo(oneLabel);
        // A label "a.b" under the zone: a name in the zone that does not exist.
        byte[] inZone = labels("a.b", "example", "test");
        reply = exchange(raw(0x0100, inZone, Type.A), tcp);
        m = new Message(reply);
        assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
        assertThat(Arrays.copyOfRange(reply, 12, 12 + inZone.length)).isEqualTo(inZone);
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void aNameOverTwoHundredFiftyFiveOctetsIsAFormatErrorInAValidReply(boolean tcp) throws Exception {
        String l = "a".repeat(63);
        byte[] tooLong = labels(l, l, l, l, "test"); // 4 x 64 + 5 + 1 = 262 octets
        Message m = new Message(exchange(raw(0x0100, tooLong, Type.A), tcp));
        assertThat(m.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(m.getSection(Section.QUESTION)).isEmpty();
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void anUnknownOpcodeIsNotImplementedAndRdIsNotCopied(boolean tcp) throws Exception {
        Message q = query("app.example.test.", Type.A, DClass.IN);
        q.getHeader().setOpcode(Opcode.STATUS);
        q.getHeader().setFlag(Flags.RD);
        Message m = send(q, tcp);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOTIMP);
        assertThat(m.getHeader().getFlag(Flags.RD)).isFalse();
        assertThat(m.getHeader().getOpcode()).isEqualTo(Opcode.STATUS);
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void negativeAnswersCarryTheSoaAndNamesOutsideTheZoneAreRefused(boolean tcp) throws Exception {
        Message nx = send(query("nope.example.test.", Type.A, DClass.IN), tcp);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nx.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
        Message nodata = send(query("app.example.test.", Type.MX, DClass.IN), tcp);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        assertThat(nodata.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
        Message out = send(query("app.elsewhere.test.", Type.A, DClass.IN), tcp);
        assertThat(out.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(out.getHeader().getFlag(Flags.AA)).isFalse();
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void theCaseOfTheQuestionIsKept(boolean tcp) throws Exception {
        byte[] mixed = labels("ApP", "eXaMpLe", "TeSt");
        byte[] reply = exchange(raw(0, mixed, Type.A), tcp);
        Message m = new Message(reply);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSection(Section.ANSWER)).hasSize(1);
        assertThat(Arrays.copyOfRange(reply, 12, 12 + mixed.length)).isEqualTo(mixed);
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void aResponseIsNeverAnswered(boolean tcp) throws Exception {
        byte[] response = raw(0x8000, labels("app", "example", "test"), Type.A);
        if (tcp) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(500);
                s.getOutputStream().write(ByteBuffer.allocate(2 + response.length).putShort((short) response.length).put(response).array());
                assertThat(noReply(s)).isTrue();
            }
        } else {
            try (DatagramSocket s = new DatagramSocket()) {
                s.setSoTimeout(500);
                s.send(new DatagramPacket(response, response.length, InetAddress.getLoopbackAddress(), port));
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> s.receive(new DatagramPacket(new byte[512], 512)))
                        .isInstanceOf(java.net.SocketTimeoutException.class);
            }
        }
        assertThat(send(query("app.example.test.", Type.A, DClass.IN), tcp).getRcode()).as("still answering").isEqualTo(Rcode.NOERROR);
    }

    /** Nothing came back: the read timed out, or the server closed the connection without a word. */
    private static boolean noReply(Socket s) throws Exception {
        try {
            return s.getInputStream().read() < 0;
        } catch (java.net.SocketTimeoutException silence) {
            return true;
        }
    }

    @Test
    void pipelinedTcpQueriesAreEachAnswered() throws Exception {
        byte[] a = query("app.example.test.", Type.A, DClass.IN).toWire();
        byte[] b = query("nope.example.test.", Type.A, DClass.IN).toWire();
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(2000);
            s.getOutputStream().write(ByteBuffer.allocate(4 + a.length + b.length).putShort((short) a.length).put(a)
                    .putShort((short) b.length).put(b).array());
            DataInputStream in = new DataInputStream(s.getInputStream());
            List<Integer> codes = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                byte[] answer = new byte[in.readUnsignedShort()];
                in.readFully(answer);
                codes.add(new Message(answer).getRcode());
            }
            assertThat(codes).containsExactlyInAnyOrder(Rcode.NOERROR, Rcode.NXDOMAIN);
        }
    }

    @ParameterizedTest(name = "tcp={0}")
    @ValueSource(booleans = {false, true})
    void theZonesOwnNameserversHaveTheirAddressesAnsweredAndGlued(boolean tcp) throws Exception {
        SoaConfig soa = SoaConfig.defaults("example.test");
        DnsConfig withGlue = new DnsConfig("example.test", new HostPort("127.0.0.1", 0), soa, List.of("ns1.example.test", "ns.elsewhere.test"), 0,
                java.util.Optional.empty(), java.util.Optional.empty(), io.meridian.config.ConnectionLimits.dnsDefaults(),
                java.util.Map.of("ns1.example.test", List.of("192.0.2.53", "2001:db8::53")), 0);
        EmbeddedDnsServer glued = new EmbeddedDnsServer(withGlue, new SimpleMeterRegistry(), 1);
        int gluedPort = glued.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            Message ns = send(query("example.test.", Type.NS, DClass.IN), tcp, gluedPort);
            assertThat(ns.getSection(Section.ANSWER)).extracting(Record::rdataToString)
                    .containsExactly("ns1.example.test.", "ns.elsewhere.test.");
            assertThat(ns.getSection(Section.ADDITIONAL).stream().filter(r -> r.getType() != Type.OPT).map(Record::rdataToString))
                    .containsExactlyInAnyOrder("192.0.2.53", "2001:db8:0:0:0:0:0:53");
            Message a = send(query("ns1.example.test.", Type.A, DClass.IN), tcp, gluedPort);
            assertThat(a.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("192.0.2.53");
            assertThat(a.getHeader().getFlag(Flags.AA)).isTrue();
            Message aaaa = send(query("ns1.example.test.", Type.AAAA, DClass.IN), tcp, gluedPort);
            assertThat(aaaa.getSection(Section.ANSWER)).extracting(Record::rdataToString).containsExactly("2001:db8:0:0:0:0:0:53");
        } finally {
            glued.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
