package io.meridian.dns.embedded;

import io.meridian.config.ClientRule;
import io.meridian.config.DnsConfig;
import io.meridian.config.HostPort;
import io.meridian.config.SoaConfig;
import io.meridian.dns.DnsChange;
import io.meridian.dns.RecordSet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server's own batched UDP sockets ({@link UdpBatchLoop}) answer every kind of datagram exactly as
 * Netty's UDP sockets do, on the fast path and on the full one, and let go of their port when stopped.
 */
class UdpTransportsTest {

    private final List<EmbeddedDnsServer> servers = new ArrayList<>();
    private final Map<EmbeddedDnsServer, Integer> ports = new HashMap<>();

    @AfterEach
    void stop() throws Exception {
        for (EmbeddedDnsServer s : servers) {
            s.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theLibraryIsBuiltAndLoadsOnLinux() {
        assumeTrue(System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux"));
        assertThat(NativeUdp.unavailable()).as("ops/native-udp built it into the classes (needs gcc)").isEmpty();
    }

    @Test
    void batchedSocketsAnswerAsNettysDoOverIpv4() throws Exception {
        sameAnswers("127.0.0.1", InetAddress.getByName("127.0.0.1"));
    }

    @Test
    void batchedSocketsAnswerAsNettysDoOverIpv6() throws Exception {
        sameAnswers("::1", InetAddress.getByName("::1"));
    }

    private void sameAnswers(String listen, InetAddress to) throws Exception {
        EmbeddedDnsServer batched = start(listen, true);
        EmbeddedDnsServer netty = start(listen, false);
        assumeTrue(batched.transport().contains("recvmmsg"), batched.transport());
        assertThat(batched.transport()).startsWith("3 UDP sockets");
        assertThat(netty.transport()).doesNotContain("recvmmsg");
        int batchedPort = port(batched);
        int nettyPort = port(netty);
        for (byte[] q : queries()) {
            String viaBatched = answer(to, batchedPort, q);
            String viaNetty = answer(to, nettyPort, q);
            assertThat(viaBatched).as("answer to %s", describe(q)).isEqualTo(viaNetty);
        }
        assertThat(batched.fastAnswers()).as("the common queries took the fast path").isEqualTo(4);
        assertThat(answer(to, batchedPort, query("near.example.test", Type.A, false).toWire())).as("placed by the sender's address")
                .contains("127.0.6.1");
        assertThat(batched.malformedPackets()).isEqualTo(netty.malformedPackets());
    }

    @Test
    void aDatagramLongerThanAnyQueryIsDroppedAndCounted() throws Exception {
        EmbeddedDnsServer batched = start("127.0.0.1", true);
        assumeTrue(batched.transport().contains("recvmmsg"), batched.transport());
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        byte[] huge = Arrays.copyOf(query("app.example.test", Type.A, false).toWire(), 3000);
        assertThat(answer(lo, port(batched), huge)).isEqualTo("(no answer)");
        assertThat(batched.malformedPackets()).isEqualTo(1);
        assertThat(answer(lo, port(batched), query("app.example.test", Type.A, false).toWire())).contains("127.0.1.1");
    }

    @Test
    void stoppingLetsGoOfThePortAtOnce() throws Exception {
        EmbeddedDnsServer batched = start("127.0.0.1", true);
        assumeTrue(batched.transport().contains("recvmmsg"), batched.transport());
        int port = port(batched);
        long t0 = System.nanoTime();
        batched.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        servers.remove(batched);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("the threads woke from recvmmsg").isLessThan(Duration.ofMillis(400));
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            assertThat(s.getLocalPort()).isEqualTo(port);
        }
    }

    private EmbeddedDnsServer start(String listen, boolean nativeUdp) throws Exception {
        // Three sockets share the port, so that a test also sees the kernel spread datagrams over them.
        DnsConfig config = new DnsConfig("example.test", new HostPort(listen, 0), SoaConfig.defaults("example.test")).withUdpThreads(3);
        // Clients from loopback are placed in a region of their own, so answers there depend on the source address.
        List<ClientRule> clients = List.of(new ClientRule("127.0.0.0/8", InetAddress.getByName("127.0.0.0").getAddress(), 8, "eu"),
                new ClientRule("::1/128", InetAddress.getByName("::1").getAddress(), 128, "eu"));
        EmbeddedDnsServer s = new EmbeddedDnsServer(config, clients, new SimpleMeterRegistry(), 1, nativeUdp);
        servers.add(s);
        ports.put(s, s.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS));
        s.apply(List.of(
                new DnsChange("app.example.test", Duration.ofSeconds(30), List.of(new RecordSet("x", 1, List.of("127.0.1.1", "127.0.1.2", "::1")))),
                new DnsChange("near.example.test", Duration.ofSeconds(10), List.of(new RecordSet("us", 1, List.of("127.0.5.1"))),
                        Map.of("eu", List.of(new RecordSet("eu", 1, List.of("127.0.6.1"))))),
                new DnsChange("many.example.test", Duration.ofSeconds(5), List.of(new RecordSet("x", 1,
                        IntStream.rangeClosed(1, 30).mapToObj(i -> "10.0.0." + i).toList())))));
        return s;
    }

    private int port(EmbeddedDnsServer s) {
        return ports.get(s);
    }

    /** Every kind: fast (4), full path, protocol errors, truncation, and datagrams that get no answer. */
    private static List<byte[]> queries() throws Exception {
        List<byte[]> qs = new ArrayList<>();
        qs.add(query("app.example.test", Type.A, false).toWire());
        qs.add(query("app.example.test", Type.AAAA, false).toWire());
        qs.add(query("APP.example.test", Type.A, true).toWire());
        qs.add(query("many.example.test", Type.A, true).toWire());
        Message ecs = query("app.example.test", Type.A, false);
        ecs.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new ClientSubnetOption(24, InetAddress.getByName("192.0.2.0")))), Section.ADDITIONAL);
        qs.add(ecs.toWire());
        qs.add(query("near.example.test", Type.A, false).toWire());         // placed by the sender's address
        qs.add(query("example.test", Type.SOA, false).toWire());
        qs.add(query("app.example.test", Type.TXT, false).toWire());
        qs.add(query("nope.example.test", Type.A, false).toWire());
        qs.add(query("app.other.test", Type.A, false).toWire());
        qs.add(query("many.example.test", Type.A, false).toWire());         // truncated over UDP
        qs.add(query("example.test", Type.AXFR, false).toWire());
        Message notify = query("example.test", Type.SOA, false);
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        qs.add(notify.toWire());
        Message response = query("app.example.test", Type.A, false);
        response.getHeader().setFlag(Flags.QR);
        qs.add(response.toWire());                                         // dropped
        qs.add("not a DNS message".getBytes());                            // dropped, counted
        qs.add(new byte[0]);
        return qs;
    }

    private static Message query(String name, int type, boolean edns) throws Exception {
        Message m = Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN));
        if (edns) {
            m.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        }
        return m;
    }

    /** The answer as text with its records sorted (the server may rotate them), or "(no answer)". */
    private static String answer(InetAddress to, int port, byte[] query) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(to, 0))) {
            s.setSoTimeout(query.length < 12 || query.length > 2048 || (query[2] & 0x80) != 0 ? 300 : 2000);
            s.send(new DatagramPacket(query, query.length, to, port));
            DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
            s.receive(p);
            Message m = new Message(Arrays.copyOf(p.getData(), p.getLength()));
            StringBuilder text = new StringBuilder(m.getHeader().toString().replaceAll("id: \\d+", "id"));
            for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
                m.getSection(section).stream().map(Record::toString).sorted().forEach(r -> text.append('\n').append(r));
            }
            return text.append(" (").append(p.getLength()).append(" bytes)").toString();
        } catch (SocketTimeoutException e) {
            return "(no answer)";
        }
    }

    private static String describe(byte[] q) {
        try {
            return new Message(q).getQuestion().toString();
        } catch (Exception e) {
            return q.length + " bytes";
        }
    }
}
