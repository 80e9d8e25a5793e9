package io.meridian.replication;

import io.meridian.testing.PostgresServer;
import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A drill that evacuates the region of a real PostgreSQL primary while a client writes through the write
 * name: the primary is switched over to the standby in eu-west without losing an acknowledged write, the
 * report measures the RTO, and the answers come back; the old primary, fenced, is not switched back.
 */
class DrillDatabaseIT {

    private static final String WRITE_NAME = "db.example.test";

    @TempDir
    Path config;

    @Test
    void aDrillSwitchesThePrimaryOverWithoutLosingAnAcknowledgedWriteAndReportsIt() throws Exception {
        try (PostgresServer primary = PostgresServer.primary("127.0.1.10"); PostgresServer standby = primary.standby("127.0.2.10")) {
            DatabaseFailoverIT.configure(config, "postgres", "1s", "rpo-bytes: 1048576\nrpo-lag: 5s\ncatch-up-timeout: 10s",
                    Map.of("us-east", List.of(primary.host() + ":" + primary.port()), "eu-west", List.of(standby.host() + ":" + standby.port())));
            Path yaml = config.resolve("meridian.yaml");
            Files.writeString(yaml, Files.readString(yaml) + """
                    drills:
                      - name: evacuate-us-east
                        evacuate: us-east
                        hold: 2s
                        objectives: {rto: 15s, rpo: 0s}
                        timeout: 30s
                    """);
            try (RunningDaemon d = RunningDaemon.start(config)) {
                await().atMost(Duration.ofSeconds(15)).until(() -> d.answer(WRITE_NAME, false).equals(List.of("127.0.1.10")));
                await().atMost(Duration.ofSeconds(10)).until(() -> d.engineRegionUp("eu-west") && d.engineRegionUp("us-east"));
                primary.sql("CREATE TABLE w (id int PRIMARY KEY)");
                await().atMost(Duration.ofSeconds(15)).until(() -> lag(d, "127.0.2.10") == 0);
                AtomicBoolean writing = new AtomicBoolean(true);
                AtomicInteger acked = new AtomicInteger();
                java.util.Queue<Integer> ids = new java.util.concurrent.ConcurrentLinkedQueue<>();
                Thread writer = new Thread(() -> {
                    // Resolves the write name for every write; keeps only what the server acknowledged. Each attempt
                    // writes its own id, so a write that committed but whose answer was lost does not block the next.
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
                writer.start();
                try {
                    await().atMost(Duration.ofSeconds(10)).until(() -> acked.get() > 20);
                    var res = d.call("POST", "/v1/drills/evacuate-us-east/run", TestTokens.OPERATOR, "{\"reason\": \"Q4 database drill\"}");
                    assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
                    String id = new JsonObject(res.body()).getString("id");
                    await().atMost(Duration.ofSeconds(60)).until(() -> d.json("GET", "/v1/drills", TestTokens.VIEWER, null).getValue("running") == null);
                    JsonObject report = d.json("GET", "/v1/drills/reports/" + id, TestTokens.VIEWER, null);
                    String steps = report.getJsonArray("steps").encode();
                    assertThat(report.getString("outcome")).as(steps).isEqualTo("completed");
                    assertThat(steps).contains("\"step\":\"switchover orders\"", "-> orders/eu-west/127.0.2.10", "left us-east; the primary of [orders] moved");
                    assertThat(report.getLong("rto_ms")).as(steps).isBetween(1L, 15_000L);
                    assertThat(report.getLong("rpo_ms")).isZero();
                    assertThat(report.getBoolean("rpo_met")).isTrue();
                    assertThat(report.getJsonArray("invariants").encode()).contains("\"invariant\":\"the write name of orders points only at its primary\",\"held\":true",
                            "\"invariant\":\"every database primary back where it was\",\"held\":false");
                    assertThat(d.answer(WRITE_NAME, false)).isEqualTo(List.of("127.0.2.10"));
                    int before = acked.get();
                    await().atMost(Duration.ofSeconds(10)).until(() -> acked.get() > before + 5);
                } finally {
                    writing.set(false);
                    writer.join(20_000);
                }
                List<String> rows = standby.sql("SELECT id FROM w").lines().toList();
                assertThat(rows).as("every acknowledged write is on the new primary").containsAll(ids.stream().map(String::valueOf).toList());
                System.out.println("DrillDatabaseIT: " + ids.size() + " acknowledged writes, all on the new primary");
            }
        }
    }

    private static long lag(RunningDaemon d, String host) throws Exception {
        return d.json("GET", "/v1/databases", TestTokens.VIEWER, null).getJsonArray("databases").getJsonObject(0).getJsonArray("members").stream()
                .map(JsonObject.class::cast).filter(m -> m.getString("id").contains(host)).findFirst().orElseThrow().getLong("lag_bytes", -1L);
    }
}
