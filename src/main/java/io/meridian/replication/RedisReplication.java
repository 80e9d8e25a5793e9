package io.meridian.replication;

import io.meridian.config.DatabaseMember;
import io.meridian.policy.MemberStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Redis replication through vertx-redis-client, one fresh connection per operation. Positions are
 * replication offsets from {@code INFO replication} ({@code master_repl_offset} on the primary,
 * {@code slave_repl_offset} on a replica); a replica replays while {@code master_link_status:up}.
 * Replay age comes from the key {@value #HEARTBEAT} Meridian sets on the primary.
 */
public final class RedisReplication implements ReplicationProvider {

    public static final String HEARTBEAT = "meridian:heartbeat";
    /** How long a fence pauses writes: until the repoint step makes the old primary a replica, or an operator unpauses it. */
    static final long FENCE_PAUSE_MS = Duration.ofHours(1).toMillis();

    private final Vertx vertx;
    private final Duration timeout;

    public RedisReplication(Vertx vertx, Duration timeout) {
        this.vertx = vertx;
        this.timeout = timeout;
    }

    @Override
    public Future<MemberStatus> observe(DatabaseMember m, Instant now) {
        return with(m, "observe", conn -> conn.send(Request.cmd(Command.INFO).arg("replication")).compose(info -> {
            Map<String, String> fields = parseInfo(info.toString());
            if ("master".equals(fields.get("role"))) {
                return Future.succeededFuture(MemberStatus.primary(m.id(), m.region(), Long.parseLong(fields.getOrDefault("master_repl_offset", "-1")), now));
            }
            long offset = Long.parseLong(fields.getOrDefault("slave_repl_offset", "-1"));
            // A Redis replica cannot pause its replay: it applies whatever reaches it, link up or not.
            boolean replaying = true;
            return conn.send(Request.cmd(Command.GET).arg(HEARTBEAT))
                    .map(hb -> hb == null ? Optional.<Duration>empty()
                            : Optional.of(Duration.ofMillis(Math.max(0, now.toEpochMilli() - Long.parseLong(hb.toString())))))
                    .otherwise(Optional.empty())
                    .map(age -> MemberStatus.replica(m.id(), m.region(), offset, replaying, age, now));
        })).recover(err -> ReplicationProvider.unreachableOrLocal(m, err, now));
    }

    static Map<String, String> parseInfo(String info) {
        Map<String, String> out = new HashMap<>();
        for (String line : info.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                out.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return out;
    }

    @Override
    public Future<Void> heartbeat(DatabaseMember primary, Instant now) {
        return with(primary, "heartbeat", conn -> conn.send(Request.cmd(Command.SET).arg(HEARTBEAT).arg(now.toEpochMilli()))).mapEmpty();
    }

    /** Pauses every client's writes (replication and reads go on). */
    @Override
    public Future<Void> fence(DatabaseMember m) {
        return with(m, "fence", conn -> conn.send(Request.cmd(Command.CLIENT).arg("PAUSE").arg(FENCE_PAUSE_MS).arg("WRITE"))).mapEmpty();
    }

    @Override
    public Future<Void> unfence(DatabaseMember m) {
        return with(m, "unfence", conn -> conn.send(Request.cmd(Command.CLIENT).arg("UNPAUSE"))).mapEmpty();
    }

    @Override
    public Future<Void> promote(DatabaseMember m, Duration wait) {
        return with(m, "promote", conn -> conn.send(Request.cmd(Command.REPLICAOF).arg("NO").arg("ONE"))
                .compose(v -> conn.send(Request.cmd(Command.CLIENT).arg("UNPAUSE")))
                .compose(v -> conn.send(Request.cmd(Command.INFO).arg("replication")))
                .compose(info -> "master".equals(parseInfo(info.toString()).get("role")) ? Future.<Void>succeededFuture()
                        : Future.failedFuture("still a replica after REPLICAOF NO ONE")));
    }

    /** {@code REPLICAOF} the new primary, then lift a fence's pause (in that order: no write slips in between). */
    @Override
    public Future<String> repoint(DatabaseMember m, DatabaseMember primary, boolean wasPrimary) {
        return with(m, "repoint", conn -> conn.send(Request.cmd(Command.REPLICAOF).arg(primary.host()).arg(primary.port()))
                .compose(v -> conn.send(Request.cmd(Command.CLIENT).arg("UNPAUSE"))))
                .map(v -> (wasPrimary ? "old primary " : "replica ") + m.id() + " now replicates from " + primary.id());
    }

    private <T> Future<T> with(DatabaseMember m, String operation, Function<RedisConnection, Future<T>> work) {
        RedisOptions options = new RedisOptions().setConnectionString("redis://" + m.host() + ":" + m.port())
                .setMaxPoolSize(1).setMaxPoolWaiting(1);
        if (!m.password().isEmpty()) {
            options.setPassword(m.password().value());
        }
        if (!m.user().isEmpty()) {
            options.setUser(m.user());
        }
        options.getNetClientOptions().setConnectTimeout((int) timeout.toMillis());
        Redis client = Redis.createClient(vertx, options);
        return client.connect()
                .compose(conn -> work.apply(conn).eventually(conn::close))
                .eventually(client::close)
                .timeout(timeout.toMillis() * 3, TimeUnit.MILLISECONDS)
                .recover(err -> Future.failedFuture(new IllegalStateException("redis member " + m.id() + ": " + operation + " failed: "
                        + (err.getMessage() == null ? err.getClass().getSimpleName() : err.getMessage()), err)));
    }

}
