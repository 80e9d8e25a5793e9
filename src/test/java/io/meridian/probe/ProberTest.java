package io.meridian.probe;

import io.meridian.clock.Clock;
import io.meridian.config.CheckType;
import io.meridian.config.HealthCheckConfig;
import io.meridian.probe.http.HttpProber;
import io.meridian.probe.tcp.TcpProber;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Every prober against real local servers on loopback. */
class ProberTest {

    private static Vertx vertx;
    /** Held for the whole class: Vert.x closes an HTTP client's pool once the client is unreachable. */
    private static HttpProber httpProber;
    private static TcpProber tcpProber;
    private static int httpPort;
    private static int httpsPort;
    private static int silentTcpPort;

    @BeforeAll
    static void servers() throws Exception {
        vertx = Vertx.vertx();
        httpProber = new HttpProber(vertx, Clock.system());
        tcpProber = new TcpProber(vertx, Clock.system());
        HttpServer http = vertx.createHttpServer().requestHandler(req -> {
            switch (req.path()) {
                case "/ok" -> req.response().end("hello from the backend");
                case "/503" -> req.response().setStatusCode(503).end("overloaded");
                case "/slow" -> { } // never answers
                default -> req.response().setStatusCode(404).end();
            }
        });
        httpPort = await(http.listen(0, "127.0.0.1")).actualPort();
        SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
        HttpServer https = vertx.createHttpServer(new HttpServerOptions().setSsl(true).setKeyCertOptions(cert.keyCertOptions()))
                .requestHandler(req -> req.response().end("hello over tls"));
        httpsPort = await(https.listen(0, "127.0.0.1")).actualPort();
        NetServer silent = vertx.createNetServer().connectHandler(socket -> { });
        silentTcpPort = await(silent.listen(0, "127.0.0.1")).actualPort();
        // The first exchange of a cold JVM (class loading, both ends in this process) can outlast the
        // 300 ms the checks below allow: one untimed exchange first, its result not judged.
        HealthCheckConfig warm = new HealthCheckConfig("warm", CheckType.HTTP, "/ok", Optional.empty(), Set.of(200), Optional.empty(),
                false, Duration.ofSeconds(5), Duration.ofSeconds(4), 2, 2);
        await(httpProber.probe(new ProbeTarget("r/warm", "r", "127.0.0.1", httpPort, warm)));
    }

    @AfterAll
    static void close() throws Exception {
        await(vertx.close());
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static ProbeTarget target(CheckType type, int port, String path, Optional<String> body, boolean insecure) {
        // TLS gets more time: the first handshake of a cold JVM loads the trust store.
        Duration timeout = type == CheckType.HTTPS ? Duration.ofSeconds(3) : Duration.ofMillis(300);
        HealthCheckConfig check = new HealthCheckConfig("c", type, path, Optional.empty(), Set.of(200), body, insecure,
                Duration.ofSeconds(5), timeout, 2, 2);
        return new ProbeTarget("r/127.0.0.1:" + port, "r", "127.0.0.1", port, check);
    }

    private static ProbeResult http(String path, Optional<String> body) throws Exception {
        return await(httpProber.probe(target(CheckType.HTTP, httpPort, path, body, false)));
    }

    @Test
    void httpSucceedsOnAnExpectedStatus() throws Exception {
        ProbeResult r = http("/ok", Optional.empty());
        assertThat(r.ok()).isTrue();
        assertThat(r.reason()).isEqualTo(FailureReason.OK);
        assertThat(r.latency()).isPositive().isLessThan(Duration.ofMillis(300));
    }

    @Test
    void httpFailsOnAnUnexpectedStatusNamingIt() throws Exception {
        ProbeResult r = http("/503", Optional.empty());
        assertThat(r.ok()).isFalse();
        assertThat(r.reason()).isEqualTo(FailureReason.STATUS);
        assertThat(r.message()).isEqualTo("status 503");
    }

    @Test
    void httpChecksTheBodySubstring() throws Exception {
        ProbeResult found = http("/ok", Optional.of("backend"));
        assertThat(found.ok()).as(found.reason() + ": " + found.message()).isTrue();
        ProbeResult r = http("/ok", Optional.of("database ok"));
        assertThat(r.reason()).isEqualTo(FailureReason.BODY_MISMATCH);
        assertThat(r.message()).contains("database ok");
    }

    @Test
    void httpTimesOutOnAServerThatNeverAnswers() throws Exception {
        ProbeResult r = http("/slow", Optional.empty());
        assertThat(r.reason()).isEqualTo(FailureReason.TIMEOUT);
        assertThat(r.latency()).isBetween(Duration.ofMillis(290), Duration.ofMillis(1000));
    }

    @Test
    void resultsBreakTheTimeDownIntoPhases() throws Exception {
        ProbeResult r = http("/ok", Optional.empty());
        assertThat(r.phases()).extracting(ProbeResult.Phase::name).containsExactly("connect", "first_byte");
        assertThat(r.phases().get(0).at()).isLessThanOrEqualTo(r.phases().get(1).at());
        assertThat(r.phases().get(1).at()).isLessThanOrEqualTo(r.latency());
        ProbeResult tls = await(httpProber.probe(target(CheckType.HTTPS, httpsPort, "/", Optional.of("tls"), true)));
        assertThat(tls.phases()).extracting(ProbeResult.Phase::name).containsExactly("tls", "first_byte");
        ProbeResult slow = http("/slow", Optional.empty());
        assertThat(slow.phases()).extracting(ProbeResult.Phase::name).containsExactly("connect");
        assertThat(slow.message()).contains("(got to connect)");
    }

    /**
     * A black hole on loopback: a listener whose accept queue is full and never drained. Linux drops
     * further SYNs, as a firewall that drops (not rejects) would: the connect never completes.
     */
    @Test
    void aBlackHoledAddressIsAConnectTimeoutNotASlowServer() throws Exception {
        try (ServerSocket hole = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> filling = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) { // bounded: the queue of backlog 1 is full after two or three
                    java.net.Socket s = new java.net.Socket();
                    try {
                        s.connect(new java.net.InetSocketAddress(hole.getInetAddress(), hole.getLocalPort()), 200);
                        filling.add(s);
                    } catch (java.net.SocketTimeoutException full) {
                        s.close();
                        break;
                    }
                }
                ProbeResult http = await(httpProber.probe(target(CheckType.HTTP, hole.getLocalPort(), "/", Optional.empty(), false)));
                assertThat(http.reason()).as(http.message()).isEqualTo(FailureReason.CONNECT_TIMEOUT);
                assertThat(http.phases()).isEmpty();
                ProbeResult tcp = await(tcpProber.probe(target(CheckType.TCP, hole.getLocalPort(), "/", Optional.empty(), false)));
                assertThat(tcp.reason()).as(tcp.message()).isEqualTo(FailureReason.CONNECT_TIMEOUT);
            } finally {
                for (java.net.Socket s : filling) {
                    s.close();
                }
            }
        }
    }

    @Test
    void httpSeesARefusedConnection() throws Exception {
        ProbeResult r = await(httpProber.probe(target(CheckType.HTTP, closedPort(), "/", Optional.empty(), false)));
        assertThat(r.reason()).isEqualTo(FailureReason.CONNECT_REFUSED);
    }

    @Test
    void httpsVerifiesCertificatesUnlessTheCheckIsInsecure() throws Exception {
        HttpProber prober = httpProber;
        ProbeResult verified = await(prober.probe(target(CheckType.HTTPS, httpsPort, "/", Optional.empty(), false)));
        assertThat(verified.reason()).isEqualTo(FailureReason.TLS_HANDSHAKE);
        ProbeResult insecure = await(prober.probe(target(CheckType.HTTPS, httpsPort, "/", Optional.of("tls"), true)));
        assertThat(insecure.ok()).as(insecure.message()).isTrue();
    }

    @Test
    void tcpSucceedsOnConnectAndFailsOnRefusal() throws Exception {
        TcpProber prober = tcpProber;
        assertThat(await(prober.probe(target(CheckType.TCP, silentTcpPort, "/", Optional.empty(), false))).ok()).isTrue();
        ProbeResult refused = await(prober.probe(target(CheckType.TCP, closedPort(), "/", Optional.empty(), false)));
        assertThat(refused.reason()).isEqualTo(FailureReason.CONNECT_REFUSED);
        assertThat(refused.message()).containsIgnoringCase("refused");
    }
}
