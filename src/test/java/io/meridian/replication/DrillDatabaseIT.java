package io.meridian.replication;

import io.meridian.plan.RoleChange;
import io.meridian.testing.PostgresServer;
import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drills over three regions with demo backends and a real PostgreSQL primary (us-east) and standby (eu-west),
 * while a client writes through the write name. A drill that evacuates us-east switches the primary over to
 * eu-west without losing an acknowledged write, measures the RTO and brings the answers back; the old primary,
 * fenced, is not switched back. A real outage of ap-south while the drill's switchover is held before its
 * promotion aborts the drill: us-east is restored, the drill waits for the role change in flight, and exactly
 * one writable primary is left, with every acknowledged write.
 */
class DrillDatabaseIT {

    private static final String WRITE_NAME = "db.example.test";
    private static final String APP = "app.example.test";

    @TempDir
    Path config;

    /** Three regions (ap-south serves app but holds no database), the cluster over us-east and eu-west, and the drills. */
    private void configure(PostgresServer primary, PostgresServer standby) throws Exception {
        DatabaseFailoverIT.configure(config, "postgres", "1s", "rpo-bytes: 1048576\nrpo-lag: 5s\ncatch-up-timeout: 10s",
                Map.of("us-east", List.of(primary.host() + ":" + primary.port()), "eu-west", List.of(standby.host() + ":" + standby.port())));
        Files.writeString(config.resolve("regions/ap-south.yaml"), RunningDaemon.REGION.formatted("ap-south", 3,
                "127.0.3.1", RunningDaemon.freePort("127.0.3.1"), "127.0.3.2", RunningDaemon.freePort("127.0.3.2")));
        Path yaml = config.resolve("meridian.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("regions: [us-east, eu-west]\n", "regions: [us-east, eu-west, ap-south]\n") + """
                drills:
                  - name: evacuate-us-east
                    evacuate: us-east
                    hold: 2s
                    objectives: {rto: 15s, rpo: 0s}
                    timeout: 30s
                  - name: long-us-east
                    evacuate: us-east
                    hold: 10m
                    timeout: 30s
                """);
    }

    /** Writes through the write name until stopped; keeps the ids the server acknowledged. */
    private static final class Writer implements AutoCloseable {
        final AtomicBoolean writing = new AtomicBoolean(true);
        final AtomicInteger acked = new AtomicInteger();
        final Queue<Integer> ids = new ConcurrentLinkedQueue<>();
        final Thread thread;

        Writer(RunningDaemon d, PostgresServer primary, PostgresServer standby) {
            thread = new Thread(() -> {
                // Resolves the write name for every write. Each attempt writes its own id, so a write that
                // committed but whose answer was lost does not block the next.
                int attempts = 0;
                while (writing.get() && attempts++ < 5_000) {
                    try {
                        List<String> a = d.answer(WRITE_NAME, false);
                        PostgresServer to = a.equals(List.of("127.0.1.10")) ? primary : a.equals(List.of("127.0.2.10")) ? standby : null;
                        if (to == null) {
                            Thread.sleep(10); // withdrawn while the primary moves
                            continue;
                        }
                        to.sql("INSERT INTO w VALUES (" + attempts + ")");
                        ids.add(attempts);
                        acked.incrementAndGet();
                    } catch (Exception refused) {
                        // read-only, fenced or a DNS timeout: try again
                    }
                }
            });
            thread.start();
        }

        @Override
        public void close() throws Exception {
            writing.set(false);
            thread.join(20_000);
        }
    }

    private static RunningDaemon started(Path config, PostgresServer primary, StepGate gate) throws Exception {
        RunningDaemon d = RunningDaemon.start(config, gate);
        await().atMost(Duration.ofSeconds(15)).until(() -> d.answer(WRITE_NAME, false).equals(List.of("127.0.1.10")));
        await().atMost(Duration.ofSeconds(10)).until(() -> d.engineRegionUp("eu-west") && d.engineRegionUp("us-east") && d.engineRegionUp("ap-south"));
        primary.sql("CREATE TABLE w (id int PRIMARY KEY)");
        await().atMost(Duration.ofSeconds(15)).until(() -> lag(d, "127.0.2.10") == 0);
        return d;
    }

    private static String run(RunningDaemon d, String drill) throws Exception {
        var res = d.call("POST", "/v1/drills/" + drill + "/run", TestTokens.OPERATOR, "{\"reason\": \"Q4 database drill\"}");
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return new JsonObject(res.body()).getString("id");
    }

    private static JsonObject reportOf(RunningDaemon d, String id) throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> d.json("GET", "/v1/drills", TestTokens.VIEWER, null).getValue("running") == null);
        return d.json("GET", "/v1/drills/reports/" + id, TestTokens.VIEWER, null);
    }

    @Test
    void aDrillSwitchesThePrimaryOverWithoutLosingAnAcknowledgedWriteAndReportsIt() throws Exception {
        try (PostgresServer primary = PostgresServer.primary("127.0.1.10"); PostgresServer standby = primary.standby("127.0.2.10")) {
            configure(primary, standby);
            try (RunningDaemon d = started(config, primary, StepGate.OPEN)) {
                Writer w = new Writer(d, primary, standby);
                try (w) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> w.acked.get() > 20);
                    String id = run(d, "evacuate-us-east");
                    JsonObject report = reportOf(d, id);
                    String steps = report.getJsonArray("steps").encode();
                    assertThat(report.getString("outcome")).as(steps).isEqualTo("completed");
                    assertThat(steps).contains("\"step\":\"switchover orders\"", "-> orders/eu-west/127.0.2.10", "left us-east; the primary of [orders] moved");
                    assertThat(report.getLong("rto_ms")).as(steps).isBetween(1L, 15_000L);
                    assertThat(report.getLong("rpo_ms")).isZero();
                    assertThat(report.getBoolean("rpo_met")).isTrue();
                    assertThat(report.getJsonArray("invariants").encode()).contains("\"invariant\":\"the write name of orders points only at its primary\",\"held\":true",
                            "\"invariant\":\"every database primary back where it was\",\"held\":false");
                    assertThat(d.answer(WRITE_NAME, false)).isEqualTo(List.of("127.0.2.10"));
                    assertThat(d.answer(APP, false)).as("the answers came back to us-east").allMatch(a -> a.startsWith("127.0.1."));
                    int before = w.acked.get();
                    await().atMost(Duration.ofSeconds(10)).until(() -> w.acked.get() > before + 5);
                    System.out.println("DrillDatabaseIT: RTO " + report.getLong("rto_ms") + " ms over three regions");
                }
                List<String> rows = standby.sql("SELECT id FROM w").lines().toList();
                assertThat(rows).as("every acknowledged write is on the new primary").containsAll(w.ids.stream().map(String::valueOf).toList());
                System.out.println("DrillDatabaseIT: " + w.ids.size() + " acknowledged writes, all on the new primary");
            }
        }
    }

    @Test
    void aRealOutageOfAnotherRegionDuringTheSwitchoverAbortsTheDrillToOneWritablePrimaryAndUsEastRestored() throws Exception {
        try (PostgresServer primary = PostgresServer.primary("127.0.1.10"); PostgresServer standby = primary.standby("127.0.2.10")) {
            configure(primary, standby);
            // The switchover is held before its promotion (writes blocked, write name withdrawn) until the test lets it go.
            AtomicReference<Promise<Void>> held = new AtomicReference<>();
            CountDownLatch atPromote = new CountDownLatch(1);
            StepGate gate = (change, step, boundary) -> {
                if (step == RoleChange.Step.PROMOTE && boundary == StepGate.Boundary.STARTED && held.compareAndSet(null, Promise.promise())) {
                    atPromote.countDown();
                    return held.get().future();
                }
                return Future.succeededFuture();
            };
            try (RunningDaemon d = started(config, primary, gate)) {
                Writer w = new Writer(d, primary, standby);
                try (w) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> w.acked.get() > 20);
                    String id = run(d, "long-us-east");
                    assertThat(atPromote.await(15, TimeUnit.SECONDS)).as("the drill's switchover reached its promotion").isTrue();
                    assertThat(d.call("POST", "/demo/regions/ap-south/fail", null, null).statusCode()).isEqualTo(200);
                    await().atMost(Duration.ofSeconds(10)).until(() -> d.json("GET", "/v1/events?kind=DRILL&limit=20", TestTokens.VIEWER, null)
                            .getJsonArray("events").encode().contains("aborting: a real incident started: ap-south"));
                    assertThat(d.json("GET", "/v1/drills", TestTokens.VIEWER, null).getValue("running"))
                            .as("the drill waits for the role change in flight before it calls itself restored").isNotNull();
                    d.daemon.context().runOnContext(v -> held.get().complete());
                    JsonObject report = reportOf(d, id);
                    String steps = report.getJsonArray("steps").encode();
                    System.out.println("DrillDatabaseIT: aborted during the switchover: " + steps);
                    assertThat(report.getString("outcome")).as(steps).isEqualTo("aborted");
                    assertThat(steps).contains("a real incident started: ap-south", "orders stays at orders/eu-west/127.0.2.10");
                    assertThat(d.json("GET", "/v1/overrides", TestTokens.VIEWER, null).getJsonArray("overrides")).as("us-east undrained").isEmpty();
                    await().atMost(Duration.ofSeconds(10)).until(() -> d.answer(APP, false).stream().allMatch(a -> a.startsWith("127.0.1.")));
                    // One writable primary, and the write name points at it and takes writes.
                    assertThat(writable(standby)).isTrue();
                    assertThat(writable(primary)).as("the old primary stays fenced").isFalse();
                    assertThat(d.answer(WRITE_NAME, false)).containsExactly(standby.host());
                    int before = w.acked.get();
                    await().atMost(Duration.ofSeconds(10)).until(() -> w.acked.get() > before + 5);
                    assertThat(report.getJsonArray("invariants").encode())
                            .contains("\"invariant\":\"the write name of orders points only at its primary\",\"held\":true");
                } finally {
                    d.call("POST", "/demo/regions/ap-south/restore", null, null);
                }
                List<String> rows = standby.sql("SELECT id FROM w").lines().toList();
                assertThat(rows).as("every acknowledged write is on the one primary left").containsAll(w.ids.stream().map(String::valueOf).toList());
                System.out.println("DrillDatabaseIT: the abort left eu-west the one primary, with all " + w.ids.size() + " acknowledged writes");
            }
        }
    }

    /** Takes writes: a primary that is neither in recovery nor fenced read-only. */
    private static boolean writable(PostgresServer s) {
        try {
            return s.sql("SELECT NOT pg_is_in_recovery() AND current_setting('default_transaction_read_only') = 'off'").strip().equals("t");
        } catch (Exception down) {
            return false;
        }
    }

    private static long lag(RunningDaemon d, String host) throws Exception {
        return d.json("GET", "/v1/databases", TestTokens.VIEWER, null).getJsonArray("databases").getJsonObject(0).getJsonArray("members").stream()
                .map(JsonObject.class::cast).filter(m -> m.getString("id").contains(host)).findFirst().orElseThrow().getLong("lag_bytes", -1L);
    }
}
