package io.meridian.daemon;

import io.meridian.testing.ConfigDir;
import io.meridian.testing.RunningDaemon;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The attack of issue 11, for real: a daemon in its own process under a descriptor limit of 400,
 * hundreds of idle and slow TCP connections to its DNS port and to its API from many source
 * addresses, backends healthy (in this JVM). No target may go down, no answer may change, UDP
 * DNS keeps answering, and the server closes the strangers' connections by its timeouts.
 */
class ExhaustionIT {

    private static final int SOURCES = 40;
    private static final int PER_SOURCE = 10;

    @TempDir
    Path dir;
    private final Vertx vertx = Vertx.vertx();
    private final List<Socket> strangers = new ArrayList<>();
    private Process daemon;

    @AfterEach
    void stop() throws Exception {
        for (Socket s : strangers) {
            s.close();
        }
        if (daemon != null) {
            daemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Files.copy(dir.resolve("daemon.log"), Path.of("target/exhaustion-daemon.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void strangersHoldingConnectionsCannotMoveTrafficOrStopTheAnswers() throws Exception {
        List<String> backends = List.of("127.0.1.1", "127.0.1.2", "127.0.2.1", "127.0.2.2");
        List<Integer> ports = new ArrayList<>();
        for (String host : backends) {
            int port = RunningDaemon.freePort(host);
            vertx.createHttpServer().requestHandler(r -> r.response().end("hello")).listen(port, host)
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            ports.add(port);
        }
        int dnsPort = RunningDaemon.freePort("127.0.0.1");
        int apiPort = RunningDaemon.freePort("127.0.0.1");
        String region = "name: %s\npriority: %d\nendpoints:\n  - {address: %s, port: %d, check: web}\n  - {address: %s, port: %d, check: web}\n";
        ConfigDir.base()
                .with("meridian.yaml", """
                        vantage: us-east
                        api:
                          listen: 127.0.0.1:%d
                          limits: {idle-timeout: 2s, request-timeout: 1s}
                        dns:
                          zone: example.test
                          listen: 127.0.0.1:%d
                          tcp: {idle-timeout: 2s, message-timeout: 1s}
                        services:
                          - {name: app.example.test, policy: failover, ttl: 5s, regions: [us-east, eu-west]}
                        health:
                          min-hold: 0s
                        automation:
                          failback: 0s
                        """.formatted(apiPort, dnsPort))
                .with("regions/us-east.yaml", region.formatted("us-east", 1, backends.get(0), ports.get(0), backends.get(1), ports.get(1)))
                .with("regions/eu-west.yaml", region.formatted("eu-west", 2, backends.get(2), ports.get(2), backends.get(3), ports.get(3)))
                .with("healthchecks/web.yaml", "type: http\npath: /\nbody-contains: hello\ninterval: 200ms\ntimeout: 150ms\nrise: 2\nfall: 2\n")
                .writeTo(dir);
        Path log = dir.resolve("daemon.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        daemon = new ProcessBuilder("bash", "-c", "ulimit -n 400 && exec \"$0\" -Xmx256m -jar \"$1\" run --config-dir \"$2\"",
                java, Path.of("target/meridian.jar").toAbsolutePath().toString(), dir.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI readyz = URI.create("http://127.0.0.1:" + apiPort + "/readyz");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> status(http, readyz) == 200);
        List<String> normal = List.of(backends.get(0), backends.get(1));
        await().atMost(Duration.ofSeconds(10)).until(() -> udpAnswer(dnsPort).equals(normal));
        // The answer is served before its decision line is logged: wait for the line, so that it is not taken for a move during the flood.
        await().atMost(Duration.ofSeconds(5)).until(() -> Files.readString(log).contains("-> us-east[" + String.join(", ", normal) + "]"));
        assertThat(Files.readString(log)).contains("descriptors: limit 400", "lowered");

        long fdsBefore = descriptors();
        int logBefore = Files.readString(log).length();
        // Slow senders that dribble a query, then hundreds of idle connections from many sources.
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            slow.add(connect("127.0.8." + (i + 1), dnsPort));
            slow.add(connect("127.0.8." + (i + 1), apiPort));
        }
        for (int s = 1; s <= SOURCES; s++) {
            String source = "127.0.9." + s;
            for (int i = 0; i < PER_SOURCE; i++) {
                strangers.add(connect(source, dnsPort));
                strangers.add(connect(source, apiPort));
            }
        }
        long floodUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
        int queries = 0;
        long fdsMax = descriptors();
        while (System.nanoTime() < floodUntil) {
            fdsMax = Math.max(fdsMax, descriptors());
            for (Socket s : slow) {
                dribble(s, s.getPort() == dnsPort ? 0x02 : 'G');
            }
            assertThat(udpAnswer(dnsPort)).as("UDP answer %d during the flood", queries).isEqualTo(normal);
            queries++;
            Thread.sleep(100);
        }

        // The server closed them all: idle after 2 s, slow senders after 1 s (they got no whole message through).
        for (Socket s : strangers) {
            assertThat(closedByServer(s)).as("stranger %s -> %s", s.getLocalSocketAddress(), s.getPort() == dnsPort ? "DNS" : "API").isTrue();
        }
        for (Socket s : slow) {
            assertThat(closedByServer(s)).as("slow sender %s -> %s", s.getLocalSocketAddress(), s.getPort() == dnsPort ? "DNS" : "API").isTrue();
        }
        System.out.printf("ExhaustionIT: daemon descriptors %d before the flood, at most %d during it, %d after%n",
                fdsBefore, fdsMax, descriptors());
        assertThat(status(http, URI.create("http://127.0.0.1:" + apiPort + "/healthz"))).isEqualTo(200);
        assertThat(tcpAnswer(dnsPort)).isEqualTo(normal);
        await().atMost(Duration.ofSeconds(15)).until(() -> status(http, readyz) == 200);
        String output = Files.readString(log).substring(logBefore);
        // A flood of new API connections can briefly pass the bound (Vert.x accepts on a thread of its own
        // before the guard closes them): then probes fail as local errors and the vantage is impaired.
        // Either way, nothing may move.
        assertThat(output).doesNotContain("-> DOWN", "FAILOVER", "FAILBACK", "FAIL_OPEN", "PUBLISH", "PlainExchange");
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics).contains("meridian_dns_tcp_refused_total{bound=\"total\"}", "meridian_dns_tcp_closed_total{reason=\"idle\"}",
                "meridian_dns_tcp_closed_total{reason=\"slow\"}", "meridian_api_connections_refused_total",
                "meridian_api_connections_closed_total{reason=\"idle\"}");
    }

    private long descriptors() throws IOException {
        try (var fds = Files.list(Path.of("/proc", String.valueOf(daemon.pid()), "fd"))) {
            return fds.count();
        }
    }

    private static Socket connect(String source, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(source, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return s;
    }

    /** One more byte of a message that never ends (a DNS message of 514 bytes, or an HTTP request line). */
    private static void dribble(Socket s, int b) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(b);
            out.flush();
        } catch (IOException closed) {
            // closed by the server already: what should happen
        }
    }

    /** The server closed it: a read sees the end of the stream (or a reset) within a few seconds. */
    private static boolean closedByServer(Socket s) {
        try {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static int status(HttpClient http, URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static List<String> udpAnswer(int port) throws Exception {
        return answer(port, false);
    }

    private static List<String> tcpAnswer(int port) throws Exception {
        return answer(port, true);
    }

    private static List<String> answer(int port, boolean tcp) throws Exception {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(port);
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(1));
        Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString("app.example.test."), Type.A, DClass.IN)));
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
    }
}
