package io.meridian.probe;

import io.meridian.clock.Clock;
import io.meridian.config.CheckType;
import io.meridian.config.DnsConfig;
import io.meridian.config.HealthCheckConfig;
import io.meridian.config.HostPort;
import io.meridian.config.ProbeOptions;
import io.meridian.config.SoaConfig;
import io.meridian.dns.DnsChange;
import io.meridian.dns.RecordSet;
import io.meridian.dns.embedded.EmbeddedDnsServer;
import io.meridian.probe.dns.DnsProber;
import io.meridian.probe.http.HttpProber;
import io.meridian.probe.tcp.TcpProber;
import io.meridian.probe.tls.TlsProber;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Every probe type, and the hostile servers of the issue, against real servers on loopback. */
class ProbeTypesTest {

    private static Vertx vertx;
    private static HttpProber http;
    private static TcpProber tcp;
    private static DnsProber dns;
    private static TlsProber tls;
    private static int web;
    private static int h2c;
    private static int garbage;
    private static int echo;
    private static int dnsPort;
    private static EmbeddedDnsServer dnsServer;
    private static SelfSignedCertificate cert;
    private static int tlsPort;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void servers() throws Exception {
        vertx = Vertx.vertx();
        http = new HttpProber(vertx, Clock.system());
        tcp = new TcpProber(vertx, Clock.system());
        dns = new DnsProber(vertx, Clock.system());
        tls = new TlsProber(vertx, Clock.system());
        Buffer mb = Buffer.buffer(new byte[1024 * 1024]);
        web = await(vertx.createHttpServer().requestHandler(req -> {
            switch (req.path()) {
                case "/ok" -> req.response().end("service healthy v42");
                case "/moved" -> req.response().setStatusCode(302).putHeader("Location", "/ok").end();
                case "/echo-header" -> req.response().end("header=" + req.getHeader("X-Probe") + " method=" + req.method());
                case "/huge" -> { // 100 MB, written as the client reads
                    req.response().setChunked(true);
                    int[] left = {100};
                    Runnable[] pump = new Runnable[1];
                    pump[0] = () -> {
                        while (left[0] > 0 && !req.response().writeQueueFull()) {
                            left[0]--;
                            req.response().write(mb);
                        }
                        if (left[0] == 0) {
                            req.response().end();
                        } else {
                            req.response().drainHandler(v -> pump[0].run());
                        }
                    };
                    pump[0].run();
                }
                case "/dribble" -> { // one byte every 100 ms, never done
                    req.response().setChunked(true);
                    vertx.setPeriodic(100, id -> {
                        if (req.response().ended() || req.connection() == null) {
                            vertx.cancelTimer(id);
                        } else {
                            req.response().write("x").onFailure(err -> vertx.cancelTimer(id));
                        }
                    });
                }
                default -> req.response().setStatusCode(404).end();
            }
        }).listen(0, "127.0.0.1")).actualPort();
        h2c = await(vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(true))
                .requestHandler(req -> req.response().end("proto " + req.version())).listen(0, "127.0.0.1")).actualPort();
        garbage = await(vertx.createNetServer().connectHandler(s -> s.handler(b -> s.write("SSH-2.0-OpenSSH_9.2\r\nnot http at all\r\n\r\n")))
                .listen(0, "127.0.0.1")).actualPort();
        echo = await(vertx.createNetServer().connectHandler(s -> s.handler(b -> s.write(b.toString().trim().equals("PING") ? "+PONG\r\n" : "-ERR\r\n")))
                .listen(0, "127.0.0.1")).actualPort();
        SoaConfig soa = SoaConfig.defaults("example.test");
        dnsServer = new EmbeddedDnsServer(new DnsConfig("example.test", new HostPort("127.0.0.1", 0), soa), new SimpleMeterRegistry(), 1);
        dnsPort = await(dnsServer.start());
        await(dnsServer.apply(List.of(new DnsChange("app.example.test", Duration.ofSeconds(5), List.of(new RecordSet("x", 1, List.of("127.0.1.1")))))));
        cert = SelfSignedCertificate.create("localhost");
        tlsPort = await(vertx.createNetServer(new NetServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions()))
                .connectHandler(s -> { }).listen(0, "127.0.0.1")).actualPort();
    }

    @AfterAll
    static void close() throws Exception {
        await(dnsServer.stop());
        await(vertx.close());
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static ProbeTarget target(CheckType type, int port, String path, UnaryOperator<HealthCheckConfig> tweak) {
        HealthCheckConfig c = new HealthCheckConfig("c", type, path, Optional.empty(), Set.of(200), Optional.empty(), false,
                Duration.ofSeconds(5), Duration.ofMillis(800), 2, 2);
        return new ProbeTarget("t", "r", "127.0.0.1", port, tweak.apply(c));
    }

    private static ProbeOptions opts(UnaryOperator<ProbeOptionsBuilder> b) {
        return b.apply(new ProbeOptionsBuilder()).build();
    }

    private static HealthCheckConfig body(HealthCheckConfig c, String contains) {
        return new HealthCheckConfig(c.name(), c.type(), c.path(), c.host(), c.expectStatus(), Optional.of(contains), c.insecure(),
                c.interval(), c.timeout(), c.rise(), c.fall(), c.latencyThreshold(), c.latencyRise(), c.latencyFall(), c.recheck(), c.options());
    }

    private static HealthCheckConfig secure(HealthCheckConfig c, boolean insecure, Optional<String> host) {
        return new HealthCheckConfig(c.name(), c.type(), c.path(), host, c.expectStatus(), c.bodyContains(), insecure,
                c.interval(), c.timeout(), c.rise(), c.fall(), c.latencyThreshold(), c.latencyRise(), c.latencyFall(), c.recheck(), c.options());
    }

    // ---- http ------------------------------------------------------------------------------

    @Test
    void httpMatchesABodyRegexAndSendsMethodAndHeaders() throws Exception {
        assertThat(await(http.probe(target(CheckType.HTTP, web, "/ok", c -> c.withOptions(opts(o -> o.bodyRegex("healthy v\\d+")))))).ok()).isTrue();
        ProbeResult r = await(http.probe(target(CheckType.HTTP, web, "/echo-header", c -> body(c.withOptions(opts(o -> o
                .method("POST").headers(Map.of("X-Probe", "meridian")))), "header=meridian method=POST"))));
        assertThat(r.ok()).as(r.message()).isTrue();
    }

    @Test
    void httpFollowsRedirectsOnlyWhenAsked() throws Exception {
        ProbeResult plain = await(http.probe(target(CheckType.HTTP, web, "/moved", c -> c)));
        assertThat(plain.reason()).isEqualTo(FailureReason.STATUS);
        assertThat(plain.message()).isEqualTo("status 302");
        assertThat(await(http.probe(target(CheckType.HTTP, web, "/moved", c -> c.withOptions(opts(o -> o.followRedirects(true)))))).ok()).isTrue();
    }

    @Test
    void httpNeverReadsAHugeBodyWhole() throws Exception {
        ProbeResult noBodyCheck = await(http.probe(target(CheckType.HTTP, web, "/huge", c -> c)));
        assertThat(noBodyCheck.ok()).isTrue();
        ProbeResult r = await(http.probe(target(CheckType.HTTP, web, "/huge", c -> body(c, "never there"))));
        assertThat(r.reason()).isEqualTo(FailureReason.TOO_LARGE);
        assertThat(r.latency()).isLessThan(Duration.ofMillis(800));
    }

    @Test
    void httpTimesOutOnADribblingServer() throws Exception {
        ProbeResult r = await(http.probe(target(CheckType.HTTP, web, "/dribble", c -> body(c, "done"))));
        assertThat(r.reason()).isEqualTo(FailureReason.TIMEOUT);
    }

    @Test
    void httpCallsANonHttpAnswerABadResponse() throws Exception {
        ProbeResult r = await(http.probe(target(CheckType.HTTP, garbage, "/", c -> c)));
        assertThat(r.ok()).isFalse();
        assertThat(r.reason()).as(r.message()).isIn(FailureReason.BAD_RESPONSE, FailureReason.CLOSED);
    }

    @Test
    void httpSpeaksHttp2WhenAsked() throws Exception {
        ProbeResult r = await(http.probe(target(CheckType.HTTP, h2c, "/", c -> body(c.withOptions(opts(o -> o.http2(true))), "proto HTTP_2"))));
        assertThat(r.ok()).as(r.message()).isTrue();
    }

    // ---- tcp -------------------------------------------------------------------------------

    @Test
    void tcpSendsAndExpectsAReply() throws Exception {
        ProbeResult ok = await(tcp.probe(target(CheckType.TCP, echo, "/", c -> c.withOptions(opts(o -> o.send("PING\r\n").expect("^\\+PONG"))))));
        assertThat(ok.ok()).as(ok.message()).isTrue();
        ProbeResult bad = await(tcp.probe(target(CheckType.TCP, echo, "/", c -> c.withOptions(opts(o -> o.send("HELLO\r\n").expect("^\\+PONG"))))));
        assertThat(bad.reason()).isIn(FailureReason.REPLY_MISMATCH, FailureReason.TIMEOUT);
    }

    // ---- dns -------------------------------------------------------------------------------

    @Test
    void dnsChecksTheRcodeAndTheAnswer() throws Exception {
        assertThat(await(dns.probe(target(CheckType.DNS, dnsPort, "/", c -> c.withOptions(opts(o -> o.query("app.example.test").answerContains("127.0.1.1")))))).ok()).isTrue();
        ProbeResult wrong = await(dns.probe(target(CheckType.DNS, dnsPort, "/", c -> c.withOptions(opts(o -> o.query("app.example.test").answerContains("10.9.9.9"))))));
        assertThat(wrong.reason()).isEqualTo(FailureReason.DNS_ANSWER);
        ProbeResult nx = await(dns.probe(target(CheckType.DNS, dnsPort, "/", c -> c.withOptions(opts(o -> o.query("nope.example.test"))))));
        assertThat(nx.reason()).isEqualTo(FailureReason.DNS_RCODE);
        assertThat(nx.message()).startsWith("rcode NXDOMAIN");
        assertThat(await(dns.probe(target(CheckType.DNS, dnsPort, "/", c -> c.withOptions(opts(o -> o.query("nope.example.test").expectRcode("NXDOMAIN")))))).ok()).isTrue();
        ProbeResult refused = await(dns.probe(target(CheckType.DNS, dnsPort, "/", c -> c.withOptions(opts(o -> o.query("example.org"))))));
        assertThat(refused.message()).startsWith("rcode REFUSED");
    }

    @Test
    void aTruncatedUdpAnswerIsAskedAgainOverTcp() throws Exception {
        List<String> many = java.util.stream.IntStream.rangeClosed(1, 40).mapToObj(i -> "127.0.9." + i).toList();
        await(dnsServer.apply(List.of(new DnsChange("big.example.test", Duration.ofSeconds(5), List.of(new RecordSet("x", 1, many))))));
        ProbeResult r = await(dns.probe(target(CheckType.DNS, dnsPort, "/", c -> c.withOptions(opts(o -> o.query("big.example.test").answerContains("127.0.9.40"))))));
        assertThat(r.ok()).as(r.message()).isTrue();
        assertThat(r.message()).contains("over TCP: the UDP answer was truncated");
    }

    @Test
    void servfailAndGarbageFromADnsServerAreNamed() throws Exception {
        try (java.net.DatagramSocket server = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            Thread answering = new Thread(() -> {
                // First query: SERVFAIL. Second: bytes that are no DNS message, then a SERVFAIL with a wrong id (both ignored).
                for (int i = 0; i < 2; i++) {
                    try {
                        java.net.DatagramPacket q = new java.net.DatagramPacket(new byte[512], 512);
                        server.receive(q);
                        org.xbill.DNS.Message query = new org.xbill.DNS.Message(java.util.Arrays.copyOf(q.getData(), q.getLength()));
                        org.xbill.DNS.Message reply = new org.xbill.DNS.Message(query.getHeader().getID() + i);
                        reply.getHeader().setFlag(org.xbill.DNS.Flags.QR);
                        reply.getHeader().setRcode(org.xbill.DNS.Rcode.SERVFAIL);
                        if (i == 1) {
                            server.send(new java.net.DatagramPacket(new byte[] {1, 2, 3}, 3, q.getSocketAddress()));
                        }
                        byte[] wire = reply.toWire();
                        server.send(new java.net.DatagramPacket(wire, wire.length, q.getSocketAddress()));
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            answering.start();
            ProbeResult servfail = await(dns.probe(target(CheckType.DNS, server.getLocalPort(), "/", c -> c.withOptions(opts(o -> o.query("app.example.test"))))));
            assertThat(servfail.reason()).isEqualTo(FailureReason.DNS_RCODE);
            assertThat(servfail.message()).startsWith("rcode SERVFAIL");
            ProbeResult noise = await(dns.probe(target(CheckType.DNS, server.getLocalPort(), "/", c -> c.withOptions(opts(o -> o.query("app.example.test"))))));
            assertThat(noise.reason()).as("garbage and strangers' answers are ignored: the real answer never comes").isEqualTo(FailureReason.TIMEOUT);
            answering.join(5000);
        }
    }

    @Test
    void aDnsServerThatSaysNothingTimesOut() throws Exception {
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            ProbeResult r = await(dns.probe(target(CheckType.DNS, silent.getLocalPort(), "/", c -> c.withOptions(opts(o -> o.query("app.example.test"))))));
            assertThat(r.reason()).isEqualTo(FailureReason.TIMEOUT);
        }
    }

    // ---- tls -------------------------------------------------------------------------------

    @Test
    void tlsVerifiesTheCertificateAndReportsItsLife() throws Exception {
        ProbeResult untrusted = await(tls.probe(target(CheckType.TLS, tlsPort, "/", c -> c)));
        assertThat(untrusted.reason()).isEqualTo(FailureReason.TLS_HANDSHAKE);
        ProbeResult trusted = await(tls.probe(target(CheckType.TLS, tlsPort, "/", c -> secure(c.withOptions(opts(o -> o.caFile(cert.certificatePath()))), false, Optional.of("localhost")))));
        assertThat(trusted.ok()).as(trusted.message()).isTrue();
        assertThat(trusted.message()).contains("expires").contains("days");
        ProbeResult wrongHost = await(tls.probe(target(CheckType.TLS, tlsPort, "/", c -> secure(c.withOptions(opts(o -> o.caFile(cert.certificatePath()))), false, Optional.of("www.example.org")))));
        assertThat(wrongHost.reason()).isEqualTo(FailureReason.TLS_HANDSHAKE);
    }

    @Test
    void tlsFailsOnExpiredAndExpiringCertificates() throws Exception {
        int expired = tlsServerWith(keystore("expired", "-3d", 1));
        ProbeResult r = await(tls.probe(target(CheckType.TLS, expired, "/", c -> secure(c, true, Optional.empty()))));
        assertThat(r.reason()).isEqualTo(FailureReason.TLS_EXPIRED);
        int soon = tlsServerWith(keystore("soon", "-1d", 3));
        ProbeResult s = await(tls.probe(target(CheckType.TLS, soon, "/", c -> secure(c.withOptions(opts(o -> o.failBefore(Duration.ofDays(7)).warnBefore(Duration.ofDays(14)))), true, Optional.empty()))));
        assertThat(s.reason()).isEqualTo(FailureReason.TLS_EXPIRING);
        ProbeResult w = await(tls.probe(target(CheckType.TLS, soon, "/", c -> secure(c.withOptions(opts(o -> o.failBefore(Duration.ofDays(1)).warnBefore(Duration.ofDays(14)))), true, Optional.empty()))));
        assertThat(w.ok()).isTrue();
        assertThat(w.message()).startsWith("WARNING:");
    }

    private static Path keystore(String name, String start, int validityDays) throws Exception {
        Path p = tmp.resolve(name + ".p12");
        Process k = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-genkeypair",
                "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost", "-startdate", start,
                "-validity", Integer.toString(validityDays), "-storetype", "PKCS12", "-keystore", p.toString(),
                "-storepass", "secret", "-keypass", "secret").redirectErrorStream(true).start();
        assertThat(k.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(k.exitValue()).as(new String(k.getInputStream().readAllBytes())).isZero();
        return p;
    }

    private static int tlsServerWith(Path p12) throws Exception {
        return await(vertx.createNetServer(new NetServerOptions().setSsl(true)
                .setKeyCertOptions(new PfxOptions().setPath(p12.toString()).setPassword("secret")))
                .connectHandler(s -> { }).listen(0, "127.0.0.1")).actualPort();
    }

    /** Test-only builder over the many options of {@link ProbeOptions}. */
    static final class ProbeOptionsBuilder {
        private final ProbeOptions d = ProbeOptions.defaults();
        private String method = d.method();
        private Map<String, String> headers = d.headers();
        private Optional<Pattern> bodyRegex = d.bodyRegex();
        private boolean followRedirects;
        private boolean http2;
        private Optional<Path> caFile = d.caFile();
        private Optional<String> send = d.send();
        private Optional<Pattern> expect = d.expect();
        private String query = d.query();
        private String rcode = d.expectRcode();
        private Optional<String> answer = d.answerContains();
        private Duration warn = d.warnBefore();
        private Duration fail = d.failBefore();

        ProbeOptionsBuilder bodyRegex(String r) { bodyRegex = Optional.of(Pattern.compile(r)); return this; }
        ProbeOptionsBuilder method(String m) { method = m; return this; }
        ProbeOptionsBuilder headers(Map<String, String> h) { headers = h; return this; }
        ProbeOptionsBuilder followRedirects(boolean f) { followRedirects = f; return this; }
        ProbeOptionsBuilder http2(boolean h) { http2 = h; return this; }
        ProbeOptionsBuilder caFile(String p) { caFile = Optional.of(Path.of(p)); return this; }
        ProbeOptionsBuilder send(String s) { send = Optional.of(s); return this; }
        ProbeOptionsBuilder expect(String r) { expect = Optional.of(Pattern.compile(r)); return this; }
        ProbeOptionsBuilder query(String q) { query = q; return this; }
        ProbeOptionsBuilder expectRcode(String r) { rcode = r; return this; }
        ProbeOptionsBuilder answerContains(String a) { answer = Optional.of(a); return this; }
        ProbeOptionsBuilder warnBefore(Duration w) { warn = w; return this; }
        ProbeOptionsBuilder failBefore(Duration f) { fail = f; return this; }

        ProbeOptions build() {
            return new ProbeOptions(method, headers, bodyRegex, d.maxBodyBytes(), followRedirects, http2, caFile, send, expect,
                    query, d.queryType(), rcode, answer, warn, fail, false);
        }
    }
}
