package io.meridian.daemon;

import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole daemon in-process: real backends on loopback, real probes, real DNS queries over UDP
 * and TCP. Kills a region and watches the answer move, then restores it and watches it come back.
 */
class FailoverIT {

    private static final String APP = "app.example.test";

    @TempDir
    Path dir;

    private RunningDaemon d;

    @BeforeEach
    void start() throws Exception {
        d = RunningDaemon.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        d.close();
    }

    private HttpResponse<String> api(String method, String path) throws Exception {
        return d.call(method, path, TestTokens.VIEWER, null);
    }

    @Test
    void aFailedRegionLeavesTheAnswerAndComesBackAfterRestore() throws Exception {
        List<String> usEast = List.of("127.0.1.1", "127.0.1.2");
        List<String> euWest = List.of("127.0.2.1", "127.0.2.2");
        await().atMost(Duration.ofSeconds(10)).until(() -> d.answer(APP, false).equals(usEast));
        await().atMost(Duration.ofSeconds(10)).until(() -> api("GET", "/readyz").statusCode() == 200);
        assertThat(api("GET", "/v1/regions/us-east/health").statusCode()).isEqualTo(200);

        assertThat(api("POST", "/demo/regions/us-east/fail").statusCode()).isEqualTo(200);
        long failed = System.nanoTime();
        // interval x fall = 400 ms, plus one interval of slack for jitter, plus 1 s
        await().atMost(Duration.ofMillis(1600)).pollInterval(Duration.ofMillis(20)).until(() -> d.answer(APP, false).equals(euWest));
        long detectedMs = (System.nanoTime() - failed) / 1_000_000;
        assertThat(d.answer(APP, true)).as("TCP sees the same answer").isEqualTo(euWest);

        HttpResponse<String> health = api("GET", "/v1/regions/us-east/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(new JsonObject(health.body()).getString("reason")).contains("0/2 endpoints up", "connect_refused");
        JsonObject app = new JsonObject(api("GET", "/v1/status").body()).getJsonObject("services").getJsonObject(APP);
        assertThat(app.getString("reason")).startsWith("failover to eu-west").contains("us-east is down");
        assertThat(app.getJsonArray("answers").getJsonObject(0).getString("region")).isEqualTo("eu-west");
        JsonObject euEndpoint = new JsonObject(api("GET", "/v1/status").body()).getJsonObject("regions").getJsonObject("eu-west")
                .getJsonArray("endpoints").getJsonObject(0);
        assertThat(euEndpoint.getJsonObject("last_probe_ms").fieldNames()).as("the last probe's breakdown")
                .containsExactly("connect", "first_byte", "total");

        assertThat(api("POST", "/demo/regions/us-east/restore").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> d.answer(APP, false).stream().anyMatch(usEast::contains));
        await().atMost(Duration.ofSeconds(3)).until(() -> d.answer(APP, true).equals(usEast));
        assertThat(api("GET", "/v1/regions/us-east/health").statusCode()).isEqualTo(200);

        String metrics = api("GET", "/metrics").body();
        assertThat(metrics).contains("meridian_dns_queries_total{rcode=\"noerror\"}",
                "meridian_health_transitions_total{region=\"us-east\",to=\"down\"}",
                "meridian_probe_duration_seconds_count{check=\"web\",outcome=\"connect_refused\",region=\"us-east\",vantage=\"us-east\"}",
                "meridian_probe_lag_seconds",
                "meridian_probe_phase_seconds_count{check=\"web\",phase=\"first_byte\"}",
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
