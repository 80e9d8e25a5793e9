package io.meridian.replication;

import io.meridian.coord.local.StateFiles;
import io.meridian.plan.RoleChange;
import io.meridian.testing.PostgresServer;
import io.meridian.testing.RedisServer;
import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The daemon moving real database primaries: PostgreSQL primary + streaming standby, Redis primary +
 * replicas, all on loopback, each region on its own address (us-east 127.0.1.x, eu-west 127.0.2.x)
 * so the write name's answer says which region holds the primary. The RTO measured here is printed.
 */
public class DatabaseFailoverIT {

    private static final String WRITE_NAME = "db.example.test";

    @TempDir
    Path config;

    private void configure(String kind, String extra, Map<String, List<String>> membersByRegion) throws Exception {
        configure(config, kind, "1s", extra, membersByRegion);
    }

    /**
     * Writes the test configuration with one database cluster, {@code orders}, and its members in the region files.
     *
     * @param timeout how long one operation on a member may take (several drills at once need more)
     */
    public static void configure(Path config, String kind, String timeout, String extra, Map<String, List<String>> membersByRegion) throws Exception {
        RunningDaemon.writeConfig(config);
        Path yaml = config.resolve("meridian.yaml");
        Files.writeString(yaml, Files.readString(yaml) + databases(kind, timeout, extra));
        for (var e : membersByRegion.entrySet()) {
            Path region = config.resolve("regions/" + e.getKey() + ".yaml");
            StringBuilder b = new StringBuilder(Files.readString(region)).append("databases:\n");
            e.getValue().forEach(hostPort -> b.append("  - {cluster: orders, host: ").append(hostPort.split(":")[0])
                    .append(", port: ").append(hostPort.split(":")[1]).append(", user: postgres}\n"));
            Files.writeString(region, b);
        }
    }

    /** The {@code databases:} section with one automatic cluster, {@code orders}, over us-east and eu-west. */
    public static String databases(String kind, String timeout, String extra) {
        return """
                databases:
                  - name: orders
                    kind: %s
                    write-name: %s
                    ttl: 1s
                    automatic: true
                    candidates: [us-east, eu-west]
                    cross-region: true
                    interval: 200ms
                    timeout: %s
                    rise: 1
                    fall: 3
                %s
                """.formatted(kind, WRITE_NAME, timeout, extra.indent(4));
    }

    private static String hp(PostgresServer s) {
        return s.host() + ":" + s.port();
    }

    private static String hp(RedisServer s) {
        return s.host() + ":" + s.port();
    }

    private JsonObject cluster(RunningDaemon d) throws Exception {
        return d.json("GET", "/v1/databases", TestTokens.VIEWER, null).getJsonArray("databases").getJsonObject(0);
    }

    private long lagOf(RunningDaemon d, String host) throws Exception {
        return cluster(d).getJsonArray("members").stream().map(JsonObject.class::cast)
                .filter(m -> m.getString("id").contains(host)).findFirst().orElseThrow().getLong("lag_bytes", -1L);
    }

    private String journal() throws Exception {
        return Files.readString(config.resolve(StateFiles.JOURNAL));
    }

    @Test
    void postgresPrimaryKilledTheStandbyIsPromotedAndTheWriteNameFollows() throws Exception {
        try (PostgresServer primary = PostgresServer.primary("127.0.1.10"); PostgresServer standby = primary.standby("127.0.2.10")) {
            configure("postgres", "rpo-bytes: 1048576\nrpo-lag: 5s", Map.of("us-east", List.of(hp(primary)), "eu-west", List.of(hp(standby))));
            try (RunningDaemon d = RunningDaemon.start(config)) {
                await().atMost(Duration.ofSeconds(15)).until(() -> d.answer(WRITE_NAME, false).equals(List.of("127.0.1.10")));
                primary.sql("CREATE TABLE orders (id int PRIMARY KEY)");
                for (int i = 0; i < 50; i++) {
                    primary.sql("INSERT INTO orders SELECT generate_series(" + (i * 100) + ", " + (i * 100 + 99) + ")");
                }
                await().atMost(Duration.ofSeconds(15)).until(() -> lagOf(d, "127.0.2.10") == 0);

                long killed = System.nanoTime();
                primary.kill();
                long rto = firstWrite(d, host -> host.equals("127.0.2.10") ? standby : null);
                System.out.printf("RTO postgres (interval 200ms, fall 3, kill -9 -> first successful write through %s): %d ms%n",
                        WRITE_NAME, TimeUnit.NANOSECONDS.toMillis(rto - killed));
                assertThat(standby.sql("SELECT count(*) FROM orders")).isEqualTo("5001");
                assertThat(standby.sql("SELECT pg_is_in_recovery()")).isEqualTo("f");
                assertThat(cluster(d).getString("primary")).contains("127.0.2.10");
                await().atMost(Duration.ofSeconds(5)).until(() -> journal().contains("FAILOVER done"));
                assertThat(journal()).contains("\"step\":\"FENCE_OLD_PRIMARY\"").contains("NOT fenced, promoting anyway")
                        .contains("pg_rewind");
                assertThat(d.call("GET", "/metrics", null, null).body()).contains("meridian_db_role{cluster=\"orders\"");
                assertThat(cluster(d).getString("cooldown_until")).as("automatic failover starts the cooldown").isNotNull();
                assertThat(d.call("POST", "/v1/databases/orders/ack", TestTokens.OPERATOR, "{\"reason\": \"checked, ok\"}").statusCode()).isEqualTo(200);
                assertThat(cluster(d).getString("cooldown_until")).isNull();
            }
        }
    }

    @Test
    void aLaggingStandbyIsNotPromotedAutomaticallyButAnAdminCanForceIt() throws Exception {
        try (PostgresServer primary = PostgresServer.primary("127.0.1.10"); PostgresServer standby = primary.standby("127.0.2.10")) {
            configure("postgres", "rpo-bytes: 65536\nrpo-lag: 30s", Map.of("us-east", List.of(hp(primary)), "eu-west", List.of(hp(standby))));
            try (RunningDaemon d = RunningDaemon.start(config)) {
                await().atMost(Duration.ofSeconds(15)).until(() -> d.answer(WRITE_NAME, false).equals(List.of("127.0.1.10")));
                standby.sql("SELECT pg_wal_replay_pause()");
                primary.sql("CREATE TABLE big AS SELECT g AS id, repeat('x', 200) AS pad FROM generate_series(1, 20000) g");
                await().atMost(Duration.ofSeconds(15)).until(() -> lagOf(d, "127.0.2.10") > 65536);
                primary.kill();
                await().atMost(Duration.ofSeconds(15)).until(() -> journal().contains("DB_REFUSED"));
                assertThat(journal()).contains("bytes over the RPO of 65536 bytes");
                assertThat(standby.sql("SELECT pg_is_in_recovery()")).as("not promoted").isEqualTo("t");

                var operatorTry = d.call("POST", "/v1/databases/orders/failover", TestTokens.OPERATOR,
                        "{\"reason\": \"primary lost\", \"force\": true}");
                assertThat(operatorTry.statusCode()).as("force needs admin").isEqualTo(403);
                var refused = d.call("POST", "/v1/databases/orders/failover", TestTokens.OPERATOR, "{\"reason\": \"primary lost\"}");
                assertThat(refused.statusCode()).isEqualTo(409);
                assertThat(refused.body()).contains("over the RPO");
                var dry = d.json("POST", "/v1/databases/orders/failover", TestTokens.ADMIN,
                        "{\"reason\": \"primary lost, accepting the loss\", \"force\": true, \"dry_run\": true}");
                assertThat(dry.getString("message")).startsWith("would run FAILOVER");
                assertThat(cli(d, TestTokens.ADMIN, "db", "failover", "orders", "--reason=primary lost, accepting the loss", "--force", "--yes"))
                        .as(cliOut).isZero();
                assertThat(cliOut).contains("FAILOVER").contains("(FORCED)").contains("PROMOTE");
                await().atMost(Duration.ofSeconds(30)).until(() -> standby.sql("SELECT pg_is_in_recovery()").equals("f"));
                await().atMost(Duration.ofSeconds(10)).until(() -> d.answer(WRITE_NAME, false).equals(List.of("127.0.2.10")));
                assertThat(journal()).contains("\"kind\":\"OPERATOR\"").contains("\"forced\":true").contains("accepting the loss")
                        .contains("FORCED beyond the RPO");
                await().atMost(Duration.ofSeconds(5)).until(() -> cli(d, TestTokens.VIEWER, "db", "status") == 0 && cliOut.contains("PRIMARY"));
                assertThat(cliOut).contains("write name db.example.test -> orders/eu-west/127.0.2.10");
            }
        }
    }

    @Test
    void redisPrimaryKilledAReplicaIsPromotedAndTheOtherFollowsIt() throws Exception {
        try (RedisServer primary = RedisServer.primary("127.0.1.11"); RedisServer replica = RedisServer.replicaOf(primary, "127.0.2.11");
             RedisServer other = RedisServer.replicaOf(primary, "127.0.2.12")) {
            configure("redis", "rpo-bytes: 1048576\nrpo-lag: 5s",
                    Map.of("us-east", List.of(hp(primary)), "eu-west", List.of(hp(replica), hp(other))));
            try (RunningDaemon d = RunningDaemon.start(config)) {
                await().atMost(Duration.ofSeconds(15)).until(() -> d.answer(WRITE_NAME, false).equals(List.of("127.0.1.11")));
                for (int i = 0; i < 200; i++) {
                    primary.cli("SET", "key" + i, "v" + i);
                }
                await().atMost(Duration.ofSeconds(15)).until(() -> lagOf(d, "127.0.2.11") == 0 && lagOf(d, "127.0.2.12") == 0);
                long killed = System.nanoTime();
                primary.kill();
                long rto = firstRedisWrite(d, killed);
                System.out.printf("RTO redis (interval 200ms, fall 3, kill -9 -> first successful write through %s): %d ms%n",
                        WRITE_NAME, TimeUnit.NANOSECONDS.toMillis(rto - killed));
                String promoted = d.answer(WRITE_NAME, false).get(0);
                RedisServer now = promoted.equals("127.0.2.11") ? replica : other;
                RedisServer follower = now == replica ? other : replica;
                assertThat(now.cli("DBSIZE")).isEqualTo("202"); // 200 keys, Meridian's heartbeat, the first write
                await().atMost(Duration.ofSeconds(10)).until(() -> follower.cli("ROLE").contains(now.host()));
                await().atMost(Duration.ofSeconds(10)).until(() -> follower.cli("GET", "after-failover").equals("yes"));
            }
        }
    }

    @Test
    void aPlannedRedisSwitchoverLosesNoAcknowledgedWrite() throws Exception {
        try (RedisServer primary = RedisServer.primary("127.0.1.11"); RedisServer replica = RedisServer.replicaOf(primary, "127.0.2.11")) {
            configure("redis", "rpo-bytes: 1048576\nrpo-lag: 5s\ncatch-up-timeout: 10s",
                    Map.of("us-east", List.of(hp(primary)), "eu-west", List.of(hp(replica))));
            try (RunningDaemon d = RunningDaemon.start(config)) {
                await().atMost(Duration.ofSeconds(15)).until(() -> d.answer(WRITE_NAME, false).equals(List.of("127.0.1.11")));
                await().atMost(Duration.ofSeconds(15)).until(() -> lagOf(d, "127.0.2.11") == 0);
                AtomicBoolean writing = new AtomicBoolean(true);
                AtomicInteger acked = new AtomicInteger();
                AtomicInteger attempts = new AtomicInteger();
                Thread writer = new Thread(() -> {
                    // A client that resolves the write name for every write and only counts what the server acknowledged.
                    int next = 0;
                    while (writing.get() && attempts.incrementAndGet() < 50_000) {
                        try {
                            List<String> a = d.answer(WRITE_NAME, false);
                            if (!a.isEmpty() && set(a.get(0), a.get(0).equals("127.0.1.11") ? primary.port() : replica.port(), "w" + next)) {
                                acked.set(++next);
                            } else {
                                Thread.sleep(5); // the name is withdrawn or the server refuses: try again shortly
                            }
                        } catch (Exception retry) {
                            // a DNS timeout: try again
                        }
                    }
                });
                writer.start();
                await().atMost(Duration.ofSeconds(10)).until(() -> acked.get() > 50);
                String to = cluster(d).getJsonArray("members").stream().map(JsonObject.class::cast)
                        .filter(m -> m.getString("id").contains("127.0.2.11")).findFirst().orElseThrow().getString("id");
                JsonObject ask = new JsonObject().put("reason", "planned move to eu-west").put("to", to);
                JsonObject stale = d.json("POST", "/v1/databases/orders/switchover", TestTokens.OPERATOR, ask.copy().put("expect_plan", "0").encode());
                assertThat(stale.getJsonObject("error").getString("code")).as("a stale plan applies nothing: %s", stale).isEqualTo("plan_changed");
                var res = d.call("POST", "/v1/databases/orders/switchover", TestTokens.OPERATOR, ask.put("expect_plan", stale.getString("plan_id")).encode());
                assertThat(res.statusCode()).as(res.body()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(20)).until(() -> journal().contains("SWITCHOVER done"));
                await().atMost(Duration.ofSeconds(10)).until(() -> d.answer(WRITE_NAME, false).equals(List.of("127.0.2.11")));
                int before = acked.get();
                await().atMost(Duration.ofSeconds(10)).until(() -> acked.get() > before + 50);
                writing.set(false);
                writer.join(10_000);
                int n = acked.get();
                for (int i = 0; i < n; i++) {
                    assertThat(replica.cli("EXISTS", "w" + i)).as("acknowledged write w" + i + " of " + n).isEqualTo("1");
                }
                assertThat(primary.cli("ROLE")).as("the old primary is now a replica").startsWith("slave");
            }
        }
    }

    @Test
    void aCrashBetweenFenceAndPromoteIsResumedAndPromotesOnce() throws Exception {
        try (RedisServer primary = RedisServer.primary("127.0.1.11"); RedisServer replica = RedisServer.replicaOf(primary, "127.0.2.11")) {
            configure("redis", "rpo-bytes: 1048576\nrpo-lag: 5s", Map.of("us-east", List.of(hp(primary)), "eu-west", List.of(hp(replica))));
            CountDownLatch atPromote = new CountDownLatch(1);
            StepGate crashBeforePromote = (change, step, boundary) -> {
                if (step == RoleChange.Step.PROMOTE && boundary == StepGate.Boundary.STARTED) {
                    atPromote.countDown();
                    return Promise.<Void>promise().future(); // never: the daemon "dies" here
                }
                return io.vertx.core.Future.succeededFuture();
            };
            try (RunningDaemon d = RunningDaemon.start(config, crashBeforePromote)) {
                await().atMost(Duration.ofSeconds(15)).until(() -> d.answer(WRITE_NAME, false).equals(List.of("127.0.1.11")));
                await().atMost(Duration.ofSeconds(15)).until(() -> lagOf(d, "127.0.2.11") == 0);
                primary.kill();
                assertThat(atPromote.await(20, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(replica.cli("ROLE")).as("not promoted before the crash").startsWith("slave");
            assertThat(journal()).contains("\"step\":\"FENCE_OLD_PRIMARY\",\"phase\":\"done\"").doesNotContain("FAILOVER done");
            try (RunningDaemon d = RunningDaemon.start(config)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> replica.cli("ROLE").startsWith("master"));
                await().atMost(Duration.ofSeconds(10)).until(() -> d.answer(WRITE_NAME, false).equals(List.of("127.0.2.11")));
                await().atMost(Duration.ofSeconds(5)).until(() -> journal().contains("FAILOVER done"));
                String j = journal();
                assertThat(j).contains("resuming after a restart");
                assertThat(count(j, "\"step\":\"PROMOTE\",\"phase\":\"done\"")).as("promoted exactly once").isEqualTo(1);
                assertThat(count(j, "\"kind\":\"ROLE_CHANGE\",\"subject\":\"orders\",\"actor\":\"automation\",\"message\"")).isGreaterThanOrEqualTo(2);
                assertThat(count(j, "\"phase\":\"started\",\"type\"")).as("one failover, not a second one").isEqualTo(1);
            }
        }
    }

    @Test
    void aFenceThatFailsAbortsThePromotionUnlessTheFencingCommandWorks() throws Exception {
        Path fenced = config.resolve("fenced.txt");
        for (boolean withCommand : new boolean[] {false, true}) {
            Path dir = java.nio.file.Files.createDirectories(config.resolve(withCommand ? "with-command" : "without"));
            try (RedisServer primary = RedisServer.primary("127.0.1.11"); RedisServer replica = RedisServer.replicaOf(primary, "127.0.2.11")) {
                Path saved = config;
                config = dir;
                String fence = withCommand ? "\nfence-command: [/bin/sh, -c, \"echo {member} >> " + fenced + "\"]\nfence-timeout: 2s" : "";
                configure("redis", "rpo-bytes: 1048576\nrpo-lag: 5s\npromote-unfenced: false" + fence,
                        Map.of("us-east", List.of(hp(primary)), "eu-west", List.of(hp(replica))));
                try (RunningDaemon d = RunningDaemon.start(config)) {
                    await().atMost(Duration.ofSeconds(15)).until(() -> d.answer(WRITE_NAME, false).equals(List.of("127.0.1.11")));
                    await().atMost(Duration.ofSeconds(15)).until(() -> lagOf(d, "127.0.2.11") == 0);
                    primary.kill();
                    if (withCommand) {
                        await().atMost(Duration.ofSeconds(15)).until(() -> replica.cli("ROLE").startsWith("master"));
                        assertThat(Files.readString(fenced)).contains("orders/us-east/127.0.1.11:" + primary.port());
                        await().atMost(Duration.ofSeconds(5)).until(() -> journal().contains("fence command"));
                    } else {
                        await().atMost(Duration.ofSeconds(15)).until(() -> journal().contains("aborted at FENCE_OLD_PRIMARY"));
                        assertThat(journal()).contains("promote-unfenced is false");
                        assertThat(replica.cli("ROLE")).as("never promoted unfenced").startsWith("slave");
                        assertThat(d.answer(WRITE_NAME, false)).as("no writer is sent to a primary that may still live").isEmpty();
                        assertThat(count(journal(), "\"phase\":\"started\",\"type\"")).as("no retry storm").isEqualTo(1);
                    }
                } finally {
                    config = saved;
                }
            }
        }
    }

    private String cliOut = "";

    private int cli(RunningDaemon d, String token, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cl = io.meridian.cli.Main.commandLine();
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(out, true));
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.add("--api=" + d.apiUrl());
        all.add("--token=" + token);
        int code = cl.execute(all.toArray(String[]::new));
        cliOut = out.toString();
        return code;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** Until a write through the write name succeeds; returns when it did. */
    private static long firstWrite(RunningDaemon d, java.util.function.Function<String, PostgresServer> byHost) {
        AtomicLong at = new AtomicLong();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            List<String> a = d.answer(WRITE_NAME, false);
            PostgresServer s = a.isEmpty() ? null : byHost.apply(a.get(0));
            if (s == null) {
                return false;
            }
            try {
                s.sql("INSERT INTO orders VALUES (-1)");
                at.set(System.nanoTime());
                return true;
            } catch (IllegalStateException notYet) {
                return false;
            }
        });
        return at.get();
    }

    private static long firstRedisWrite(RunningDaemon d, long since) {
        AtomicLong at = new AtomicLong();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            List<String> a = d.answer(WRITE_NAME, false);
            if (a.isEmpty() || a.get(0).equals("127.0.1.11")) {
                return false;
            }
            // The embedded server answers the new primary as soon as the write name is published; the cluster's
            // state says so once that publish has completed, a moment later (until then write_to is empty).
            String writeTo = d.json("GET", "/v1/databases", TestTokens.VIEWER, null).getJsonArray("databases").getJsonObject(0)
                    .getString("write_to", "");
            if (writeTo.isEmpty()) {
                return false;
            }
            int port = Integer.parseInt(writeTo.replaceAll(".*:", ""));
            if (set(a.get(0), port, "after-failover", "yes")) {
                at.set(System.nanoTime());
                return true;
            }
            return false;
        });
        return at.get();
    }

    private static boolean set(String host, int port, String key) {
        return set(host, port, key, "1");
    }

    /** One SET over RESP with a short timeout: true only on +OK. */
    private static boolean set(String host, int port, String key, String value) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write(("*3\r\n$3\r\nSET\r\n$" + key.length() + "\r\n" + key + "\r\n$" + value.length() + "\r\n" + value + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] reply = new byte[64];
            int n = in.read(reply);
            return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+OK");
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
