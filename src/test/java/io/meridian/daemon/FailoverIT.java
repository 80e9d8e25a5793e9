package io.meridian.daemon;

import io.meridian.clock.Clock;
import io.meridian.config.ConfigLoader;
import io.meridian.config.MeridianConfig;
import io.meridian.demo.DemoBackends;
import io.meridian.testing.ConfigDir;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole daemon in-process: real backends on loopback, real probes, real DNS queries over UDP
 * and TCP. Kills a region and watches the answer move, then restores it and watches it come back.
 */
class FailoverIT {

    @TempDir
    Path dir;

    private Vertx vertx;
    private DaemonVerticle daemon;
    private final HttpClient http = HttpClient.newHttpClient();

    private static int freePort(String address) throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(address, 0));
            return s.getLocalPort();
        }
    }

    @BeforeEach
    void start() throws Exception {
        String region = """
                name: %s
                priority: %d
                endpoints:
                  - {address: %s, port: %d, check: web}
                  - {address: %s, port: %d, check: web}
                """;
        MeridianConfig config = ConfigLoader.load(ConfigDir.base()
                .with("regions/us-east.yaml", region.formatted("us-east", 1, "127.0.1.1", freePort("127.0.1.1"), "127.0.1.2", freePort("127.0.1.2")))
                .with("regions/eu-west.yaml", region.formatted("eu-west", 2, "127.0.2.1", freePort("127.0.2.1"), "127.0.2.2", freePort("127.0.2.2")))
                .with("healthchecks/web.yaml", """
                        type: http
                        path: /healthz
                        body-contains: hello
                        interval: 200ms
                        timeout: 150ms
                        rise: 2
                        fall: 2
                        """)
                .writeTo(dir));
        vertx = Vertx.vertx();
        DemoBackends backends = new DemoBackends(vertx, config);
        daemon = new DaemonVerticle(config, Clock.system(), backends::routes);
        backends.startAll().compose(v -> vertx.deployVerticle(daemon))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private List<String> answer(boolean tcp) throws Exception {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(daemon.dnsPort());
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(2));
        Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString("app.example.test."), Type.A, DClass.IN)));
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
    }

    private HttpResponse<String> api(String method, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemon.apiPort() + path))
                .header("Authorization", "Bearer " + io.meridian.testing.TestTokens.VIEWER)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFailedRegionLeavesTheAnswerAndComesBackAfterRestore() throws Exception {
        List<String> usEast = List.of("127.0.1.1", "127.0.1.2");
        List<String> euWest = List.of("127.0.2.1", "127.0.2.2");
        await().atMost(Duration.ofSeconds(10)).until(() -> answer(false).equals(usEast));
        await().atMost(Duration.ofSeconds(10)).until(() -> api("GET", "/readyz").statusCode() == 200);
        assertThat(api("GET", "/v1/regions/us-east/health").statusCode()).isEqualTo(200);

        assertThat(api("POST", "/demo/regions/us-east/fail").statusCode()).isEqualTo(200);
        long failed = System.nanoTime();
        // interval x fall = 400 ms, plus one interval of slack for jitter, plus 1 s
        await().atMost(Duration.ofMillis(1600)).pollInterval(Duration.ofMillis(20)).until(() -> answer(false).equals(euWest));
        long detectedMs = (System.nanoTime() - failed) / 1_000_000;
        assertThat(answer(true)).as("TCP sees the same answer").isEqualTo(euWest);

        HttpResponse<String> health = api("GET", "/v1/regions/us-east/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(health.body()).getString("reason")).contains("0/2 endpoints up", "connect_refused");
        JsonObject app = new JsonObject(api("GET", "/v1/status").body()).getJsonObject("services").getJsonObject("app.example.test");
        assertThat(app.getString("reason")).startsWith("failover to eu-west").contains("us-east is down");
        assertThat(app.getJsonArray("answers").getJsonObject(0).getString("region")).isEqualTo("eu-west");

        assertThat(api("POST", "/demo/regions/us-east/restore").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> answer(false).stream().anyMatch(usEast::contains));
        await().atMost(Duration.ofSeconds(3)).until(() -> answer(true).equals(usEast));
        assertThat(api("GET", "/v1/regions/us-east/health").statusCode()).isEqualTo(200);

        String metrics = api("GET", "/metrics").body();
        assertThat(metrics).contains("meridian_dns_queries_total{rcode=\"noerror\"}",
                "meridian_health_transitions_total{region=\"us-east\",to=\"down\"}",
                "meridian_probe_duration_seconds_count{check=\"web\",outcome=\"connect_refused\",region=\"us-east\",vantage=\"us-east\"}",
                "meridian_target_up{region=\"eu-west\",target=\"eu-west/127.0.2.1:");
        System.out.println("FailoverIT: us-east left the answer " + detectedMs + " ms after its backends stopped (interval 200ms, fall 2)");
    }

    @Test
    void answersApiErrorsAsJson() throws Exception {
        HttpResponse<String> r = api("GET", "/v1/regions/mars/health");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(new JsonObject(r.body()).getJsonObject("error").getString("code")).isEqualTo("unknown_region");
        assertThat(new JsonObject(api("GET", "/nope").body()).getJsonObject("error").getString("code")).isEqualTo("not_found");
    }
}
