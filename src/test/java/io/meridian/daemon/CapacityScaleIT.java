package io.meridian.daemon;

import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A whole daemon with real backends and a stand-in autoscaler for eu-west (capacity 60 of a load of 100): its
 * capacity-report URL is read over HTTP and its scale-hook webhook is called. A drain of us-east asks eu-west to
 * scale to 100 and ramps: us-east keeps what eu-west cannot carry yet and hands it over as the reported capacity
 * grows. An automatic failover shifts at once and asks in parallel.
 */
class CapacityScaleIT {

    private static final String APP = "app.example.test";

    @TempDir
    Path dir;
    private RunningDaemon d;
    private final Vertx vertx = Vertx.vertx();
    private HttpServer autoscaler;
    /** What the stand-in reports; after a scale request it grows by 10 per read up to what was asked. */
    private volatile double capacity = 60;
    private volatile double target = 60;
    private volatile boolean failing;
    private final Queue<JsonObject> asked = new ConcurrentLinkedQueue<>();

    @BeforeEach
    void start() throws Exception {
        autoscaler = vertx.createHttpServer().requestHandler(req -> {
            if (req.path().equals("/scale")) {
                req.body().onSuccess(b -> {
                    JsonObject ask = b.toJsonObject();
                    asked.add(ask);
                    target = ask.getDouble("capacity");
                    req.response().setStatusCode(202).end();
                });
            } else if (failing) {
                req.response().setStatusCode(503).end("scaling service down");
            } else {
                capacity = capacity < target ? Math.min(target, capacity + 10) : target;
                req.response().putHeader("Content-Type", "application/json")
                        .end(new JsonObject().put("ready", true).put("capacity", capacity).encode());
            }
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String url = "http://127.0.0.1:" + autoscaler.actualPort();
        RunningDaemon.writeConfig(dir);
        Path yaml = dir.resolve("meridian.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("regions: [us-east, eu-west]\n", "regions: [us-east, eu-west]\n    load: 100\n"));
        Path us = dir.resolve("regions/us-east.yaml");
        Files.writeString(us, Files.readString(us) + "capacity: 100\n");
        Path eu = dir.resolve("regions/eu-west.yaml");
        Files.writeString(eu, Files.readString(eu) + """
                capacity: 60
                capacity-report: {url: "%s/capacity", interval: 200ms, timeout: 150ms, step: 0.25, floor: 0.25}
                scale-hook: {url: "%s/scale", deadline: 30s}
                """.formatted(url, url));
        d = RunningDaemon.start(dir);
        await().atMost(Duration.ofSeconds(10)).until(() -> d.answer(APP, false).equals(List.of("127.0.1.1", "127.0.1.2")));
        await().atMost(Duration.ofSeconds(10)).until(() -> d.engineRegionUp("eu-west") && euWest().getJsonObject("capacity").getValue("reported") != null);
        // A slow start may have published eu-west alone for a moment (and asked it to scale): start from 60 again.
        asked.clear();
        target = 60;
        await().atMost(Duration.ofSeconds(10)).until(() -> euWest().getJsonObject("capacity").getDouble("used") == 60.0);
        asked.clear();
    }

    @AfterEach
    void stop() throws Exception {
        d.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private JsonObject status() throws Exception {
        return d.json("GET", "/v1/status", TestTokens.VIEWER, null);
    }

    private JsonObject euWest() throws Exception {
        return status().getJsonObject("regions").getJsonObject("eu-west");
    }

    /** The answer as "us-east:40 eu-west:60". */
    private String answers() throws Exception {
        JsonArray a = status().getJsonObject("services").getJsonObject(APP).getJsonArray("answers");
        return String.join(" ", a.stream().map(JsonObject.class::cast).map(x -> x.getString("region") + ":" + x.getInteger("weight")).toList());
    }

    @Test
    void aDrainAsksTheAutoscalerAndRampsWhileTheReportedCapacityGrows() throws Exception {
        JsonObject cap = euWest().getJsonObject("capacity");
        assertThat(cap.getDouble("declared")).isEqualTo(60.0);
        assertThat(cap.getDouble("used")).isEqualTo(60.0);
        assertThat(cap.getBoolean("ready")).isTrue();

        JsonObject dry = d.json("POST", "/v1/regions/us-east/drain", TestTokens.OPERATOR, "{\"reason\": \"patching\", \"dry_run\": true}");
        assertThat(dry.getBoolean("accepted")).as(dry.encode()).isTrue();
        assertThat(dry.getJsonArray("scale_requests").getJsonObject(0).getMap())
                .containsEntry("region", "eu-west").containsEntry("capacity", 100.0).containsEntry("has", 60.0);
        assertThat(dry.getString("message")).contains("ramps until", "while eu-west scale up");
        assertThat(asked).as("a dry run asks nothing").isEmpty();

        JsonObject done = d.json("POST", "/v1/regions/us-east/drain", TestTokens.OPERATOR, "{\"reason\": \"patching\"}");
        assertThat(done.getBoolean("accepted")).as(done.encode()).isTrue();
        long t0 = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).until(() -> !asked.isEmpty());
        assertThat(asked.peek().getString("region")).isEqualTo("eu-west");
        assertThat(asked.peek().getDouble("capacity")).isEqualTo(100.0);
        assertThat(asked.peek().getString("reason")).isEqualTo("operator otto: patching");

        List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            String a = answers();
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(a)) {
                seen.add(a);
            }
            return a.equals("eu-west:1");
        });
        long rampMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("CapacityScaleIT: ramp " + seen + " in " + rampMs + " ms");
        List<Integer> usEast = seen.stream().filter(a -> a.startsWith("us-east:")).map(a -> Integer.parseInt(a.split(" ")[0].substring(8))).toList();
        assertThat(usEast).as("us-east hands over by steps as eu-west grows: " + seen).hasSizeGreaterThanOrEqualTo(2)
                .isSortedAccordingTo((x, y) -> Integer.compare(y, x));
        assertThat(usEast.get(0)).as(seen.toString()).isLessThanOrEqualTo(40);
        assertThat(rampMs).as("well before the 30 s deadline: the capacity came").isLessThan(20_000);
        assertThat(d.answer(APP, false)).containsExactly("127.0.2.1", "127.0.2.2");
        assertThat(euWest().getJsonObject("capacity").getDouble("used")).isEqualTo(100.0);

        failing = true;
        await().atMost(Duration.ofSeconds(5)).until(() -> d.json("GET", "/v1/events?kind=SCALE&limit=50", TestTokens.VIEWER, null)
                .getJsonArray("events").encode().contains("capacity of eu-west: report failed: status 503; keeping 100"));
        assertThat(d.json("GET", "/v1/events?kind=SCALE&limit=50", TestTokens.VIEWER, null).getJsonArray("events").encode())
                .contains("scale-up of eu-west to 100 (has 60, for app.example.test) asked because");
    }

    @Test
    void anAutomaticFailoverShiftsAtOnceAndAsksTheAutoscalerInParallel() throws Exception {
        assertThat(d.call("POST", "/demo/regions/us-east/fail", null, null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> d.answer(APP, false).equals(List.of("127.0.2.1", "127.0.2.2")));
        assertThat(answers()).as("no ramp for an outage: us-east is down").isEqualTo("eu-west:1");
        await().atMost(Duration.ofSeconds(5)).until(() -> !asked.isEmpty());
        assertThat(asked.peek().getDouble("capacity")).isEqualTo(100.0);
        assertThat(asked.peek().getString("reason")).startsWith("automation: FAILOVER app.example.test");
        await().atMost(Duration.ofSeconds(5)).until(() -> euWest().getJsonObject("capacity").getDouble("used") == 100.0);
        assertThat(asked).as("asked once, not on every tick").hasSize(1);
        d.call("POST", "/demo/regions/us-east/restore", null, null);
    }
}
