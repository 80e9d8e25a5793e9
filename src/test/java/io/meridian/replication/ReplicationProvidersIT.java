package io.meridian.replication;

import io.meridian.config.DatabaseMember;
import io.meridian.config.Secret;
import io.meridian.policy.MemberStatus;
import io.meridian.testing.PostgresServer;
import io.meridian.testing.RedisServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The PostgreSQL and Redis providers against real servers: roles, positions, lag, fence, promote, repoint. */
class ReplicationProvidersIT {

    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static <T> T get(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static DatabaseMember member(String region, int port) {
        return new DatabaseMember("db", region, "127.0.0.1", port, "postgres", Secret.NONE, "postgres");
    }

    @Test
    void postgresRolesLagFencePromoteAndRepoint() throws Exception {
        PostgresReplication pg = new PostgresReplication(vertx, Duration.ofSeconds(5));
        try (PostgresServer primary = PostgresServer.primary(); PostgresServer standby = primary.standby();
             PostgresServer second = primary.standby()) {
            DatabaseMember p = member("us-east", primary.port());
            DatabaseMember s = member("eu-west", standby.port());
            DatabaseMember s2 = member("ap-south", second.port());
            get(pg.heartbeat(p, Instant.now()));
            primary.sql("CREATE TABLE t (id int); INSERT INTO t VALUES (1)");
            MemberStatus ps = get(pg.observe(p, Instant.now()));
            assertThat(ps.role()).isEqualTo(MemberStatus.Role.PRIMARY);
            assertThat(ps.position()).isPositive();
            await().atMost(Duration.ofSeconds(20)).until(() -> get(pg.observe(s, Instant.now())).position() >= get(pg.observe(p, Instant.now())).position());
            MemberStatus ss = get(pg.observe(s, Instant.now()));
            assertThat(ss.role()).isEqualTo(MemberStatus.Role.REPLICA);
            assertThat(ss.replaying()).isTrue();
            assertThat(ss.replayAge()).isPresent();

            standby.sql("SELECT pg_wal_replay_pause()");
            primary.sql("INSERT INTO t SELECT generate_series(1, 10000)");
            await().atMost(Duration.ofSeconds(10)).until(() -> !get(pg.observe(s, Instant.now())).replaying());
            // A paused standby still receives WAL but does not replay it: it falls behind in bytes.
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    get(pg.observe(p, Instant.now())).position() - get(pg.observe(s, Instant.now())).position() > 10_000);
            standby.sql("SELECT pg_wal_replay_resume()");

            get(pg.fence(p));
            assertThatThrownBy(() -> primary.sql("INSERT INTO t VALUES (2)")).hasMessageContaining("read-only transaction");

            get(pg.promote(s, Duration.ofSeconds(30)));
            assertThat(get(pg.observe(s, Instant.now())).role()).isEqualTo(MemberStatus.Role.PRIMARY);
            get(pg.promote(s, Duration.ofSeconds(30))); // a second promotion is a no-op
            standby.sql("INSERT INTO t VALUES (3)");
            assertThat(standby.sql("SELECT count(*) FROM t")).isEqualTo("10002");

            assertThat(get(pg.repoint(p, s, true))).contains("pg_rewind").contains("port=" + standby.port());
            assertThat(get(pg.repoint(s2, s, false))).contains("now streams from");
            await().atMost(Duration.ofSeconds(30)).until(() -> second.sql("SELECT count(*) FROM t").equals("10002"));
        }
    }

    @Test
    void anUnreachablePostgresIsAStatusNamingTheMember() throws Exception {
        DatabaseMember nobody = member("us-east", io.meridian.testing.RunningDaemon.freePort("127.0.0.1"));
        MemberStatus st = get(new PostgresReplication(vertx, Duration.ofSeconds(2)).observe(nobody, Instant.now()));
        assertThat(st.reachable()).isFalse();
        assertThat(st.error()).contains("postgres member db/us-east/127.0.0.1:").contains("observe failed");
    }

    @Test
    void redisRolesOffsetsPromoteAndRepoint() throws Exception {
        RedisReplication redis = new RedisReplication(vertx, Duration.ofSeconds(2));
        try (RedisServer primary = RedisServer.primary(); RedisServer replica = RedisServer.replicaOf(primary)) {
            DatabaseMember p = member("us-east", primary.port());
            DatabaseMember r = member("eu-west", replica.port());
            primary.cli("SET", "k", "v");
            get(redis.heartbeat(p, Instant.now()));
            await().atMost(Duration.ofSeconds(20)).until(() -> get(redis.observe(r, Instant.now())).replaying());
            await().atMost(Duration.ofSeconds(10)).until(() -> get(redis.observe(r, Instant.now())).position() == get(redis.observe(p, Instant.now())).position());
            MemberStatus rs = get(redis.observe(r, Instant.now()));
            assertThat(rs.role()).isEqualTo(MemberStatus.Role.REPLICA);
            assertThat(rs.replayAge()).isPresent();
            assertThat(get(redis.observe(p, Instant.now())).role()).isEqualTo(MemberStatus.Role.PRIMARY);

            get(redis.fence(p));
            get(redis.promote(r, Duration.ofSeconds(5)));
            assertThat(replica.cli("ROLE")).startsWith("master");
            assertThat(get(redis.repoint(p, r, true))).contains("now replicates from");
            assertThat(primary.cli("ROLE")).startsWith("slave");
            replica.cli("SET", "k2", "v2");
            await().atMost(Duration.ofSeconds(10)).until(() -> primary.cli("GET", "k2").equals("v2"));
        }
    }
}
