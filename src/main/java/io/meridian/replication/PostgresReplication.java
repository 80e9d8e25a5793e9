package io.meridian.replication;

import io.meridian.config.DatabaseMember;
import io.meridian.policy.MemberStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * PostgreSQL streaming replication through vertx-pg-client, one fresh connection per operation (so
 * an unreachable server is seen as such). Positions are WAL bytes ({@code pg_lsn - '0/0'}): the
 * primary's {@code pg_current_wal_lsn()}, a standby's {@code pg_last_wal_replay_lsn()} (what a
 * promotion keeps). Replay age comes from the heartbeat row Meridian writes on the primary, read
 * on the standby against Meridian's clock — {@code pg_last_xact_replay_timestamp()} lies when the
 * primary is idle.
 */
public final class PostgresReplication implements ReplicationProvider {

    static final String STATUS = """
            SELECT pg_is_in_recovery() AS standby,
                   CASE WHEN pg_is_in_recovery() THEN (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint
                        ELSE (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint END AS position,
                   CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END AS paused,
                   (SELECT count(*) FROM pg_stat_wal_receiver WHERE status = 'streaming') AS streaming,
                   (SELECT count(*) FROM pg_stat_replication) AS replicas""";
    /** Created only when missing: {@code CREATE TABLE IF NOT EXISTS} alone has the server send a NOTICE each time. */
    private static final String HEARTBEAT_TABLE = "DO $$ BEGIN IF to_regclass('meridian_heartbeat') IS NULL THEN "
            + "CREATE TABLE meridian_heartbeat (id int PRIMARY KEY, at_ms bigint NOT NULL); END IF; END $$";
    private static final String HEARTBEAT = "INSERT INTO meridian_heartbeat VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at_ms = excluded.at_ms";

    private final Vertx vertx;
    private final Duration timeout;
    /** Members whose heartbeat table this process has made (or found) already. Only the daemon's event loop touches it. */
    private final java.util.Set<String> heartbeatTables = new java.util.HashSet<>();

    public PostgresReplication(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeout = timeout;
    }

    @Override
    public Future<MemberStatus> observe(DatabaseMember m, Instant now) {
        return with(m, "observe", conn -> conn.query(STATUS).execute().compose(rows -> {
            Row r = rows.iterator().next();
            if (!r.getBoolean("standby")) {
                return Future.succeededFuture(MemberStatus.primary(m.id(), m.region(), r.getLong("position"), now));
            }
            // Replaying = applying what it receives; not streaming is expected once the primary is gone.
            boolean replaying = !r.getBoolean("paused");
            long position = r.getLong("position") == null ? -1 : r.getLong("position");
            // The table may not exist yet (no heartbeat written): the age is then unknown, not an error.
            return conn.query("SELECT at_ms FROM meridian_heartbeat WHERE id = 1").execute()
                    .map(hb -> hb.size() == 0 ? Optional.<Duration>empty()
                            : Optional.of(Duration.ofMillis(Math.max(0, now.toEpochMilli() - hb.iterator().next().getLong("at_ms")))))
                    .otherwise(Optional.empty())
                    .map(age -> MemberStatus.replica(m.id(), m.region(), position, replaying, age, now));
        })).recover(err -> ReplicationProvider.unreachableOrLocal(m, err, now));
    }

    /** The table is looked for once per member and process, not on every round. */
    @Override
    public Future<Void> heartbeat(DatabaseMember primary, Instant now) {
        boolean create = !heartbeatTables.contains(primary.id());
        return with(primary, "heartbeat", conn -> (create ? conn.query(HEARTBEAT_TABLE).execute().mapEmpty() : Future.<Void>succeededFuture())
                .compose(v -> conn.preparedQuery(HEARTBEAT).execute(Tuple.of(now.toEpochMilli()))))
                .onSuccess(v -> heartbeatTables.add(primary.id()))
                .onFailure(err -> heartbeatTables.remove(primary.id())) // dropped, or another server at that address: create again
                .mapEmpty();
    }

    /** Read-only for every new transaction, then every client session ended so none keeps writing. */
    @Override
    public Future<Void> fence(DatabaseMember m) {
        return with(m, "fence", conn -> conn.query("ALTER SYSTEM SET default_transaction_read_only = on").execute()
                .compose(v -> conn.query("SELECT pg_reload_conf()").execute())
                .compose(v -> conn.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        + "WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'").execute())).mapEmpty();
    }

    @Override
    public Future<Void> unfence(DatabaseMember m) {
        return with(m, "unfence", conn -> conn.query("ALTER SYSTEM RESET default_transaction_read_only").execute()
                .compose(v -> conn.query("SELECT pg_reload_conf()").execute())).mapEmpty();
    }

    @Override
    public Future<Void> promote(DatabaseMember m, Duration wait) {
        return with(m, "promote", conn -> conn.query("SELECT pg_is_in_recovery() AS standby").execute().compose(rows -> {
            if (!rows.iterator().next().getBoolean("standby")) {
                return Future.succeededFuture(); // already a primary: promoting twice is a no-op
            }
            return conn.preparedQuery("SELECT pg_promote(true, $1) AS done").execute(Tuple.of((int) Math.max(1, wait.toSeconds())))
                    .compose(r -> r.iterator().next().getBoolean("done") ? Future.succeededFuture()
                            : Future.failedFuture("pg_promote did not finish within " + wait.toSeconds() + " s"));
        }).compose(v -> conn.query("ALTER SYSTEM RESET default_transaction_read_only").execute())
                .compose(v -> conn.query("SELECT pg_reload_conf()").execute())
                .compose(v -> conn.query("SELECT pg_is_in_recovery() AS standby").execute())
                .compose(rows -> rows.iterator().next().getBoolean("standby")
                        ? Future.failedFuture("still in recovery after pg_promote") : Future.<Void>succeededFuture()), wait.plus(timeout));
    }

    @Override
    public Future<String> repoint(DatabaseMember m, DatabaseMember primary, boolean wasPrimary) {
        String conninfo = "host=" + primary.host() + " port=" + primary.port() + (primary.user().isEmpty() ? "" : " user=" + primary.user())
                + " application_name=" + m.region();
        if (wasPrimary) {
            // Said the same whether the fence step reached it or not: that step's own line says which.
            return Future.succeededFuture("old primary " + m.id() + " is not turned into a standby automatically; to make it one of " + primary.id()
                    + ": stop it, run pg_rewind --target-pgdata=<its data dir> --source-server='" + conninfo.replace(" application_name=" + m.region(), "")
                    + " dbname=postgres', create standby.signal, set primary_conninfo = '" + conninfo + "', start it");
        }
        // PostgreSQL 13+ re-reads primary_conninfo on reload; a standby on the same timeline follows the new primary.
        return with(m, "repoint", conn -> conn.query("ALTER SYSTEM SET primary_conninfo = '" + conninfo.replace("'", "") + "'").execute()
                .compose(v -> conn.query("SELECT pg_reload_conf()").execute()))
                .map(v -> "standby " + m.id() + " now streams from " + primary.id());
    }

    private <T> Future<T> with(DatabaseMember m, String operation, Function<PgConnection, Future<T>> work) {
        return with(m, operation, work, timeout);
    }

    private <T> Future<T> with(DatabaseMember m, String operation, Function<PgConnection, Future<T>> work, Duration limit) {
        PgConnectOptions options = new PgConnectOptions().setHost(m.host()).setPort(m.port()).setDatabase(m.database())
                .setUser(m.user().isEmpty() ? "postgres" : m.user()).setPassword(m.password().value());
        return PgConnection.connect(vertx, options)
                .compose(conn -> work.apply(conn).eventually(conn::close))
                .timeout(limit.toMillis(), TimeUnit.MILLISECONDS)
                .recover(err -> Future.failedFuture(new IllegalStateException("postgres member " + m.id() + ": " + operation + " failed: " + describe(err), err)));
    }

    static String describe(Throwable err) {
        if (err instanceof PgException pg) {
            return "SQLSTATE " + pg.getSqlState() + ": " + pg.getErrorMessage();
        }
        return err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage();
    }
}
