package io.meridian.coord;

import io.meridian.plan.RoleChange;
import io.meridian.replication.DatabaseFailoverIT;
import io.meridian.replication.StepGate;
import io.meridian.testing.DaemonCluster;
import io.meridian.testing.EtcdCluster;
import io.meridian.testing.PostgresServer;
import io.meridian.testing.RunningDaemon;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static io.meridian.testing.DaemonCluster.VANTAGES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three daemons (in-process, each on a Vert.x of its own) on a real etcd and a real PostgreSQL primary
 * and standby: the leader journals a failover up to "fenced" and is stopped before it promotes; another
 * daemon becomes leader, finds the change in the shared journal and finishes it, promoting exactly once.
 */
class ClusterFailoverIT {

    private static final String WRITE_NAME = "db.example.test";

    @TempDir
    Path root;

    @Test
    void aFailoverTheOldLeaderJournaledUpToFencedIsFinishedOnceByTheNext() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(3);
             PostgresServer primary = PostgresServer.primary("127.0.1.10"); PostgresServer standby = primary.standby("127.0.2.10")) {
            String databases = DatabaseFailoverIT.databases("postgres", "1s", "rpo-bytes: 1048576\nrpo-lag: 5s");
            Map<String, String> members = Map.of(
                    "us-east", "databases:\n  - {cluster: orders, host: 127.0.1.10, port: " + primary.port() + ", user: postgres}\n",
                    "eu-west", "databases:\n  - {cluster: orders, host: 127.0.2.10, port: " + standby.port() + ", user: postgres}\n");
            DaemonCluster shape = DaemonCluster.configure(root, etcd, databases, members);
            AtomicReference<String> heldBy = new AtomicReference<>();
            CountDownLatch atPromote = new CountDownLatch(1);
            Map<String, RunningDaemon> daemons = new LinkedHashMap<>();
            try {
                for (String v : VANTAGES) {
                    StepGate gate = (RoleChange change, RoleChange.Step step, StepGate.Boundary boundary) -> {
                        if (step == RoleChange.Step.PROMOTE && boundary == StepGate.Boundary.STARTED && heldBy.compareAndSet(null, v)) {
                            atPromote.countDown();
                            return Promise.<Void>promise().future(); // this leader "dies" here: fenced, not promoted
                        }
                        return Future.succeededFuture();
                    };
                    daemons.put(v, RunningDaemon.inProcess(shape.daemon(v).dir, gate));
                }
                for (String v : VANTAGES) {
                    await().atMost(Duration.ofSeconds(20)).until(() -> daemons.get(v).answer(WRITE_NAME, false).equals(List.of("127.0.1.10")));
                }
                primary.sql("CREATE TABLE orders (id int PRIMARY KEY)");
                primary.sql("INSERT INTO orders SELECT generate_series(1, 1000)");
                Thread.sleep(500); // a few heartbeats: the standby has replayed it
                primary.kill();
                assertThat(atPromote.await(30, TimeUnit.SECONDS)).as("a leader started the failover").isTrue();
                String first = heldBy.get();
                assertThat(journal(etcd, shape)).anyMatch(e -> "FENCE_OLD_PRIMARY".equals(e.getString("step")) && "done".equals(e.getString("phase")));
                assertThat(standby.sql("SELECT pg_is_in_recovery()")).as("not promoted by the first leader").isEqualTo("t");

                daemons.remove(first).close(); // stopped in-process: its lease goes with it
                await().atMost(Duration.ofSeconds(20)).until(() -> standby.sql("SELECT pg_is_in_recovery()").equals("f"));
                for (RunningDaemon d : daemons.values()) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> d.answer(WRITE_NAME, false).equals(List.of("127.0.2.10")));
                }
                await().atMost(Duration.ofSeconds(5)).until(() -> journal(etcd, shape).stream().anyMatch(e -> "ROLE_CHANGE".equals(e.getString("kind"))
                        && "done".equals(e.getString("phase"))));
                List<JsonObject> j = journal(etcd, shape);
                assertThat(j.stream().filter(e -> "PROMOTE".equals(e.getString("step")) && "done".equals(e.getString("phase"))))
                        .as("promoted exactly once").hasSize(1);
                assertThat(j.stream().filter(e -> "ROLE_CHANGE".equals(e.getString("kind")) && "started".equals(e.getString("phase"))))
                        .as("one failover, not a second one").hasSize(1);
                JsonObject resumed = j.stream().filter(e -> "resumed".equals(e.getString("phase"))).findFirst().orElseThrow();
                assertThat(resumed.getString("message")).contains("change of leader");
                JsonObject started = j.stream().filter(e -> "started".equals(e.getString("phase")) && e.containsKey("type")).findFirst().orElseThrow();
                assertThat(resumed.getLong("token")).as("resumed under the new leader's token").isGreaterThan(started.getLong("token"));
                assertThat(standby.sql("SELECT count(*) FROM orders")).isEqualTo("1000");
            } finally {
                for (RunningDaemon d : daemons.values()) {
                    d.close();
                }
                shape.close();
            }
        }
    }

    /** The shared journal in etcd, oldest first. */
    private static List<JsonObject> journal(EtcdCluster etcd, DaemonCluster shape) throws Exception {
        JsonArray kvs = new JsonObject(etcd.get(shape.prefix + "journal/")).getJsonArray("kvs", new JsonArray());
        List<JsonObject> out = new ArrayList<>();
        kvs.forEach(o -> out.add(new JsonObject(new String(Base64.getDecoder().decode(((JsonObject) o).getString("value")), StandardCharsets.UTF_8))));
        return out;
    }
}
