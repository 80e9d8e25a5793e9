package io.meridian.bench;

import io.meridian.clock.Clock;
import io.meridian.config.DnsConfig;
import io.meridian.config.HostPort;
import io.meridian.config.SoaConfig;
import io.meridian.dns.DnsChange;
import io.meridian.dns.RecordSet;
import io.meridian.dns.embedded.EmbeddedDnsServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
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
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded mutation fuzzer of the embedded server's packet handling: queries of every kind the
 * server answers (plain, EDNS, Client Subnet, DO, truncation, the odd ones the screen answers) are
 * mutated — bits flipped, bytes set to edge values, counts and lengths overwritten, chunks inserted,
 * cut or spliced — and sent through the server's own UDP and TCP pipelines on embedded channels.
 * Every case must end without an exception leaving the pipeline, every reply must be a DNS message
 * dnsjava can read, a UDP reply must carry the query's id and fit 1,232 bytes, and the server must
 * still answer a good query afterwards. Failures name the seed and the input, so they replay.
 */
public final class DnsFuzz {

    /** What a run did; {@code failures} is empty when every case kept the rules. */
    public record Report(long seed, long cases, long replies, long silent, List<String> failures) {
    }

    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 40000);
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 53);
    private static final int[] EDGE_BYTES = {0x00, 0x01, 0x3F, 0x40, 0x7F, 0x80, 0xC0, 0xC0, 0xFF};
    private static final int[] EDGE_SHORTS = {0, 1, 2, 0x00FF, 0x7FFF, 0x8000, 0xFFFF, 41, 252, 255};

    private final Random random;
    private final EmbeddedDnsServer server;
    private final List<byte[]> corpus;
    private final List<String> failures = new ArrayList<>();
    private EmbeddedChannel tcp;
    private long replies;
    private long silent;

    private DnsFuzz(long seed) throws Exception {
        this.random = new Random(seed);
        DnsConfig config = new DnsConfig("fuzz.test", new HostPort("127.0.0.1", 0), SoaConfig.defaults("fuzz.test"),
                List.of("ns1.fuzz.test"), 0, java.util.Optional.empty(), java.util.Optional.empty(),
                io.meridian.config.ConnectionLimits.dnsDefaults(), Map.of("ns1.fuzz.test", List.of("192.0.2.53")), 0);
        server = new EmbeddedDnsServer(config, List.of(), new SimpleMeterRegistry(), 1);
        server.apply(List.of(
                new DnsChange("app.fuzz.test", Duration.ofSeconds(30), List.of(new RecordSet("a", 1, List.of("127.0.1.1", "127.0.1.2", "::1")))),
                new DnsChange("www.fuzz.test", Duration.ofSeconds(5), List.of(new RecordSet("a", 3, List.of("127.0.1.1")),
                        new RecordSet("b", 1, List.of("127.0.2.1")))),
                new DnsChange("big.fuzz.test", Duration.ofSeconds(5), List.of(new RecordSet("a", 1,
                        java.util.stream.IntStream.rangeClosed(1, 60).mapToObj(i -> "10.0.0." + i).toList())))));
        corpus = corpus();
    }

    /** Fuzzes for {@code budget} or {@code maxCases} cases, whichever ends first. */
    public static Report run(long seed, Duration budget, long maxCases) throws Exception {
        return new DnsFuzz(seed).go(seed, budget, maxCases);
    }

    private Report go(long seed, Duration budget, long maxCases) throws Exception {
        Clock clock = Clock.system();
        long deadline = clock.monotonicNanos() + budget.toNanos();
        EmbeddedChannel udp = new EmbeddedChannel();
        server.initUdp(udp.pipeline());
        long cases = 0;
        while (cases < maxCases && clock.monotonicNanos() < deadline && failures.size() < 10) {
            byte[] input = mutate(corpus.get(random.nextInt(corpus.size())));
            cases++;
            if (random.nextInt(3) == 0) {
                tcpCase(input, cases);
            } else {
                udpCase(udp, input, cases);
            }
        }
        // And afterwards, the server still answers.
        byte[] good = query("app.fuzz.test.", Type.A, DClass.IN).toWire();
        checkStillAnswers(udp, good);
        udp.finishAndReleaseAll();
        if (tcp != null) {
            tcp.finishAndReleaseAll();
        }
        return new Report(seed, cases, replies, silent, List.copyOf(failures));
    }

    private void udpCase(EmbeddedChannel udp, byte[] input, long n) {
        try {
            udp.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(input), SERVER, CLIENT));
            udp.checkException();
            Object out = udp.readOutbound();
            if (out == null) {
                silent++;
                return;
            }
            while (out != null) {
                ByteBuf b = ((DatagramPacket) out).content();
                byte[] reply = new byte[b.readableBytes()];
                b.getBytes(b.readerIndex(), reply);
                ((DatagramPacket) out).release();
                replies++;
                String why = judge(reply);
                if (why == null && input.length >= 2 && (reply[0] != input[0] || reply[1] != input[1])) {
                    why = "the reply's id is not the query's";
                }
                if (why == null && reply.length > 1232) {
                    why = "a UDP reply of " + reply.length + " bytes";
                }
                if (why != null) {
                    fail(n, "udp", input, why);
                }
                out = udp.readOutbound();
            }
        } catch (Throwable t) {
            fail(n, "udp", input, "an exception left the pipeline: " + t);
        }
    }

    private void tcpCase(byte[] input, long n) {
        if (tcp == null || !tcp.isOpen()) {
            if (tcp != null) {
                tcp.finishAndReleaseAll();
            }
            tcp = new EmbeddedChannel();
            server.initTcp(tcp.pipeline());
        }
        try {
            ByteBuf framed = Unpooled.buffer(input.length + 2);
            // Usually the true length; now and then a lying one, which the stream must survive too.
            framed.writeShort(random.nextInt(8) == 0 ? random.nextInt(65536) : input.length).writeBytes(input);
            tcp.writeInbound(framed);
            tcp.checkException();
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            for (Object out = tcp.readOutbound(); out != null; out = tcp.readOutbound()) {
                ByteBuf b = (ByteBuf) out;
                byte[] bytes = new byte[b.readableBytes()];
                b.getBytes(b.readerIndex(), bytes);
                b.release();
                stream.writeBytes(bytes);
            }
            byte[] all = stream.toByteArray();
            if (all.length == 0) {
                silent++;
            }
            for (int p = 0; p + 2 <= all.length; ) {
                int len = ((all[p] & 0xFF) << 8) | (all[p + 1] & 0xFF);
                if (p + 2 + len > all.length) {
                    fail(n, "tcp", input, "a reply framed as " + len + " bytes with " + (all.length - p - 2) + " sent");
                    break;
                }
                byte[] reply = java.util.Arrays.copyOfRange(all, p + 2, p + 2 + len);
                replies++;
                String why = judge(reply);
                if (why != null) {
                    fail(n, "tcp", input, why);
                }
                p += 2 + len;
            }
        } catch (Throwable t) {
            fail(n, "tcp", input, "an exception left the pipeline: " + t);
        }
    }

    /** Null when {@code reply} is a DNS response dnsjava reads, else why not. */
    private static String judge(byte[] reply) {
        try {
            Message m = new Message(reply);
            return m.getHeader().getFlag(Flags.QR) ? null : "a reply without QR";
        } catch (Exception e) {
            return "not a valid DNS message: " + e.getMessage();
        }
    }

    private void checkStillAnswers(EmbeddedChannel udp, byte[] good) throws Exception {
        udp.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(good), SERVER, CLIENT));
        DatagramPacket p = udp.readOutbound();
        boolean ok = false;
        if (p != null) {
            byte[] reply = new byte[p.content().readableBytes()];
            p.content().getBytes(p.content().readerIndex(), reply);
            p.release();
            Message m = new Message(reply);
            ok = m.getRcode() == Rcode.NOERROR && !m.getSection(Section.ANSWER).isEmpty();
        }
        if (!ok) {
            failures.add("after the run, a plain A query of app.fuzz.test is not answered");
        }
    }

    private void fail(long n, String path, byte[] input, String why) {
        if (failures.size() < 10) {
            failures.add("case " + n + " (" + path + "): " + why + "; input " + HexFormat.of().formatHex(input));
        }
    }

    private byte[] mutate(byte[] seed) {
        byte[] b = seed.clone();
        int rounds = 1 + random.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            switch (random.nextInt(8)) {
                case 0 -> b = flipBit(b);
                case 1 -> b = setByte(b, EDGE_BYTES[random.nextInt(EDGE_BYTES.length)]);
                case 2 -> b = setByte(b, random.nextInt(256));
                case 3 -> b = setShort(b, EDGE_SHORTS[random.nextInt(EDGE_SHORTS.length)]);
                case 4 -> b = insert(b);
                case 5 -> b = cut(b);
                case 6 -> b = b.length > 1 ? java.util.Arrays.copyOf(b, random.nextInt(b.length)) : b;
                default -> b = splice(b, corpus.get(random.nextInt(corpus.size())));
            }
        }
        return b;
    }

    private byte[] flipBit(byte[] b) {
        if (b.length > 0) {
            int i = random.nextInt(b.length);
            b[i] ^= (byte) (1 << random.nextInt(8));
        }
        return b;
    }

    private byte[] setByte(byte[] b, int v) {
        if (b.length > 0) {
            b[random.nextInt(b.length)] = (byte) v;
        }
        return b;
    }

    /** Counts, types, lengths and pointers are 16-bit: overwrite one, most often in the header. */
    private byte[] setShort(byte[] b, int v) {
        if (b.length >= 2) {
            int i = random.nextBoolean() ? 2 * (1 + random.nextInt(5)) : random.nextInt(b.length - 1);
            i = Math.min(i, b.length - 2);
            b[i] = (byte) (v >> 8);
            b[i + 1] = (byte) v;
        }
        return b;
    }

    private byte[] insert(byte[] b) {
        int at = random.nextInt(b.length + 1);
        byte[] extra = new byte[1 + random.nextInt(random.nextInt(10) == 0 ? 300 : 8)];
        random.nextBytes(extra);
        byte[] out = new byte[b.length + extra.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(extra, 0, out, at, extra.length);
        System.arraycopy(b, at, out, at + extra.length, b.length - at);
        return out;
    }

    private byte[] cut(byte[] b) {
        if (b.length < 2) {
            return b;
        }
        int from = random.nextInt(b.length);
        int to = Math.min(b.length, from + 1 + random.nextInt(16));
        byte[] out = new byte[b.length - (to - from)];
        System.arraycopy(b, 0, out, 0, from);
        System.arraycopy(b, to, out, from, b.length - to);
        return out;
    }

    private byte[] splice(byte[] a, byte[] other) {
        int cutA = random.nextInt(a.length + 1);
        int cutB = random.nextInt(other.length + 1);
        byte[] out = new byte[cutA + other.length - cutB];
        System.arraycopy(a, 0, out, 0, cutA);
        System.arraycopy(other, cutB, out, cutA, other.length - cutB);
        return out;
    }

    private static Message query(String name, int type, int dclass) throws Exception {
        return Message.newQuery(Record.newRecord(Name.fromString(name), type, dclass));
    }

    private static byte[] withOpt(String name, int type, OPTRecord opt) throws Exception {
        Message m = query(name, type, DClass.IN);
        m.addRecord(opt, Section.ADDITIONAL);
        return m.toWire();
    }

    /** Well-formed queries of every kind, and a few hand-written odd ones. */
    private static List<byte[]> corpus() throws Exception {
        List<byte[]> c = new ArrayList<>();
        for (String name : List.of("app.fuzz.test.", "www.fuzz.test.", "big.fuzz.test.", "fuzz.test.", "nope.fuzz.test.", "ns1.fuzz.test.",
                "app.elsewhere.test.")) {
            for (int type : List.of(Type.A, Type.AAAA, Type.ANY, Type.SOA, Type.NS, Type.MX)) {
                c.add(query(name, type, DClass.IN).toWire());
            }
        }
        c.add(withOpt("app.fuzz.test.", Type.A, new OPTRecord(1232, 0, 0)));
        c.add(withOpt("big.fuzz.test.", Type.A, new OPTRecord(4096, 0, 0, ExtendedFlags.DO)));
        c.add(withOpt("app.fuzz.test.", Type.A, new OPTRecord(1232, 0, 0, 0, List.of(new ClientSubnetOption(24, InetAddress.getByName("198.51.100.0"))))));
        c.add(withOpt("app.fuzz.test.", Type.AAAA, new OPTRecord(1232, 0, 0, 0, List.of(new ClientSubnetOption(56, InetAddress.getByName("2001:db8::"))))));
        c.add(withOpt("app.fuzz.test.", Type.A, new OPTRecord(1232, 0, 1)));
        c.add(query("fuzz.test.", Type.AXFR, DClass.IN).toWire());
        c.add(query("fuzz.test.", Type.IXFR, DClass.IN).toWire());
        c.add(query("app.fuzz.test.", Type.A, DClass.CH).toWire());
        Message status = query("app.fuzz.test.", Type.A, DClass.IN);
        status.getHeader().setOpcode(Opcode.STATUS);
        c.add(status.toWire());
        Message twoOpts = query("app.fuzz.test.", Type.A, DClass.IN);
        twoOpts.addRecord(new OPTRecord(1232, 0, 0), Section.ADDITIONAL);
        twoOpts.addRecord(new OPTRecord(512, 0, 0), Section.ADDITIONAL);
        c.add(twoOpts.toWire());
        // A compression pointer in the question, pointing at itself.
        c.add(HexFormat.of().parseHex("12340100000100000000000003617070c00c00010001"));
        // One label holding dots.
        c.add(HexFormat.of().parseHex("123401000001000000000000" + "0d6170702e66757a7a2e74657374" + "0000010001"));
        return c;
    }
}
