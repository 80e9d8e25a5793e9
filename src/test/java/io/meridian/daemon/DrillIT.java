package io.meridian.daemon;

import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Disaster-recovery drills against a whole daemon with real backends, DNS answers read over UDP: a drill
 * evacuates us-east, measures the RTO, holds and restores; a real outage of eu-west during one, and an
 * operator's abort, restore us-east at once.
 */
class DrillIT {

    private static final String APP = "app.example.test";

    @TempDir
    static Path dir;
    private static RunningDaemon d;

    @BeforeAll
    static void start() throws Exception {
        RunningDaemon.writeConfig(dir);
        Path yaml = dir.resolve("meridian.yaml");
        Files.writeString(yaml, Files.readString(yaml) + """
                drills:
                  - name: evacuate-us-east
                    evacuate: us-east
                    hold: 1s
                    objectives: {rto: 5s, rpo: 0s}
                    timeout: 10s
                  - name: long-us-east
                    evacuate: us-east
                    hold: 10m
                    timeout: 10s
                """);
        d = RunningDaemon.start(dir);
        await().atMost(Duration.ofSeconds(10)).until(() -> d.answer(APP, false).equals(List.of("127.0.1.1", "127.0.1.2")));
        await().atMost(Duration.ofSeconds(10)).until(() -> d.engineRegionUp("eu-west") && d.engineRegionUp("us-east"));
    }

    @AfterAll
    static void stop() throws Exception {
        d.close();
    }

    private JsonObject post(String path, String body, int status) throws Exception {
        var r = d.call("POST", path, TestTokens.OPERATOR, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        return new JsonObject(r.body());
    }

    /** Waits for the report of run {@code id} and returns it. */
    private JsonObject reportOf(String id) {
        await().atMost(Duration.ofSeconds(30)).until(() -> d.json("GET", "/v1/drills", TestTokens.VIEWER, null).getValue("running") == null);
        var r = await().atMost(Duration.ofSeconds(5)).until(() -> d.call("GET", "/v1/drills/reports/" + id, TestTokens.VIEWER, null),
                x -> x.statusCode() == 200);
        return new JsonObject(r.body());
    }

    private static List<String> steps(JsonObject report) {
        return report.getJsonArray("steps").stream().map(s -> ((JsonObject) s).getString("step")).toList();
    }

    @Test
    void aDrillEvacuatesMeasuresTheRtoHoldsRestoresAndReports() throws Exception {
        JsonObject dry = post("/v1/drills/evacuate-us-east/run", "{\"reason\": \"Q4 drill\", \"dry_run\": true}", 200);
        assertThat(dry.getString("message")).startsWith("drill evacuate-us-east would evacuate us-east");
        JsonObject drain = dry.getJsonObject("preview").getJsonArray("drains").getJsonObject(0);
        assertThat(drain.getJsonArray("readiness").encode()).contains("\"region\":\"eu-west\"", "\"check\":\"endpoints\"");
        assertThat(d.answer(APP, false)).allMatch(a -> a.startsWith("127.0.1."));

        JsonObject started = post("/v1/drills/evacuate-us-east/run", "{\"reason\": \"Q4 drill\"}", 200);
        String id = started.getString("id");
        assertThat(post("/v1/drills/long-us-east/run", "{\"reason\": \"a second one\"}", 409).getString("message"))
                .contains("drill evacuate-us-east is running");
        long t0 = System.nanoTime();
        AtomicLong moved = new AtomicLong();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> {
            moved.set(System.nanoTime() - t0);
            return d.answer(APP, false).stream().allMatch(a -> a.startsWith("127.0.2."));
        });
        await().atMost(Duration.ofSeconds(15)).until(() -> d.answer(APP, false).stream().allMatch(a -> a.startsWith("127.0.1.")));

        JsonObject report = reportOf(id);
        assertThat(report.getString("outcome")).isEqualTo("completed");
        assertThat(steps(report)).containsSubsequence("announce", "drain", "evacuated", "hold", "undrain", "restored", "end");
        assertThat(report.getLong("rto_ms")).isBetween(0L, 5000L);
        assertThat(report.getBoolean("rto_met")).isTrue();
        assertThat(report.getJsonArray("invariants").stream().map(i -> ((JsonObject) i).getBoolean("held"))).containsOnly(true);
        assertThat(moved.get() / 1_000_000).as("the answer seen over UDP moved within the objective").isLessThan(5000);
        var md = d.call("GET", "/v1/drills/reports/" + id + "?format=markdown", TestTokens.VIEWER, null);
        assertThat(md.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/markdown"));
        assertThat(md.body()).startsWith("# Drill evacuate-us-east: evacuate us-east").contains("- RTO: ", "against an objective of 5s: met");
        assertThat(dir.resolve("drills/" + id + ".json")).exists();
        assertThat(dir.resolve("drills/" + id + ".md")).exists();
        assertThat(d.json("GET", "/v1/overrides", TestTokens.VIEWER, null).getJsonArray("overrides")).isEmpty();
        JsonArray events = d.json("GET", "/v1/events?kind=DRILL&limit=20", TestTokens.VIEWER, null).getJsonArray("events");
        assertThat(events.encode()).contains("started: evacuating us-east", "completed: RTO");
        JsonArray list = d.json("GET", "/v1/drills", TestTokens.VIEWER, null).getJsonArray("reports");
        assertThat(list.encode()).contains(id);
    }

    @Test
    void aRealOutageOfAnotherRegionDuringADrillRestoresTheEvacuatedOne() throws Exception {
        String id = post("/v1/drills/long-us-east/run", "{\"reason\": \"long drill\"}", 200).getString("id");
        await().atMost(Duration.ofSeconds(5)).until(() -> d.answer(APP, false).stream().allMatch(a -> a.startsWith("127.0.2.")));
        assertThat(d.call("POST", "/demo/regions/eu-west/fail", null, null).statusCode()).isEqualTo(200);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> d.answer(APP, false).stream().allMatch(a -> a.startsWith("127.0.1.")));
            JsonObject report = reportOf(id);
            assertThat(report.getString("outcome")).isEqualTo("aborted");
            assertThat(report.getJsonArray("steps").encode()).contains("a real incident started: eu-west");
            assertThat(d.json("GET", "/v1/overrides", TestTokens.VIEWER, null).getJsonArray("overrides")).isEmpty();
        } finally {
            d.call("POST", "/demo/regions/eu-west/restore", null, null);
            await().atMost(Duration.ofSeconds(10)).until(() -> d.engineRegionUp("eu-west"));
        }
    }

    @Test
    void anOperatorAbortRestoresAndBadRequestsAreRefusedWithWhy() throws Exception {
        assertThat(post("/v1/drills/nope/run", "{\"reason\": \"x\"}", 404).getJsonObject("error").getString("message"))
                .contains("drill 'nope' is not configured (known: evacuate-us-east, long-us-east)");
        assertThat(post("/v1/drills/long-us-east/run", "{\"reason\": \"x\", \"force\": true}", 400).getJsonObject("error").getString("field"))
                .isEqualTo("force");
        assertThat(post("/v1/drills/abort", "{\"reason\": \"x\"}", 409).getString("message")).isEqualTo("no drill is running");

        String id = post("/v1/drills/long-us-east/run", "{\"reason\": \"long drill\"}", 200).getString("id");
        await().atMost(Duration.ofSeconds(5)).until(() -> d.answer(APP, false).stream().allMatch(a -> a.startsWith("127.0.2.")));
        JsonObject drain = d.json("GET", "/v1/overrides", TestTokens.VIEWER, null).getJsonArray("overrides").getJsonObject(0);
        assertThat(drain.getString("actor")).isEqualTo("drill:long-us-east (otto)");
        assertThat(drain.getString("expires_at")).as("a drill lost with its daemon does not leave the region out").isNotNull();
        assertThat(post("/v1/drills/abort", "{\"reason\": \"on-call needs the room\", \"dry_run\": true}", 200).getString("message"))
                .contains("would be aborted");
        assertThat(post("/v1/drills/abort", "{\"reason\": \"on-call needs the room\"}", 200).getString("message")).contains("being aborted");
        await().atMost(Duration.ofSeconds(10)).until(() -> d.answer(APP, false).stream().allMatch(a -> a.startsWith("127.0.1.")));
        JsonObject report = reportOf(id);
        assertThat(report.getString("outcome")).isEqualTo("aborted");
        assertThat(report.getJsonArray("steps").encode()).contains("aborted by otto: on-call needs the room");
    }
}
