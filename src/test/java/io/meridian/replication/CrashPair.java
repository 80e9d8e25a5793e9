package io.meridian.replication;

import io.meridian.testing.PostgresServer;
import io.meridian.testing.RedisServer;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A primary (us-east) and its replica (eu-west) of one kind, with what a crash drill needs from
 * outside Meridian: write through an address, tell whether a member takes writes right now, and
 * which acknowledged writes a member lacks.
 */
abstract class CrashPair implements AutoCloseable {

    private final String kind;
    private final String primaryHost;
    private final int primaryPort;
    private final String standbyHost;
    private final int standbyPort;

    CrashPair(String kind, String primaryHost, int primaryPort, String standbyHost, int standbyPort) {
        this.kind = kind;
        this.primaryHost = primaryHost;
        this.primaryPort = primaryPort;
        this.standbyHost = standbyHost;
        this.standbyPort = standbyPort;
    }

    String kind() {
        return kind;
    }

    String primaryHost() {
        return primaryHost;
    }

    int primaryPort() {
        return primaryPort;
    }

    String standbyHost() {
        return standbyHost;
    }

    int standbyPort() {
        return standbyPort;
    }

    /** The port of the member at {@code host}. */
    int port(String host) {
        return host.equals(primaryHost) ? primaryPort : standbyPort;
    }

    /** One write of {@code id} to the member at {@code host}; true only when it was acknowledged. */
    abstract boolean write(String host, int id);

    /** The member at {@code host} would take a write now (false when down, a replica, or fenced). */
    abstract boolean writable(String host);

    /** Of {@code ids}, those the standby (the new primary) does not hold. */
    abstract List<Integer> missing(List<Integer> ids) throws Exception;

    abstract void killPrimary() throws Exception;

    /**
     * Each pair on loopback addresses of its own: cases run three at a time, and a port a killed primary
     * freed may be taken at once by another case's server; on a shared address the sampler would then
     * write to that one and see two primaries that are not this pair's.
     */
    private static final java.util.concurrent.atomic.AtomicInteger NEXT = new java.util.concurrent.atomic.AtomicInteger();

    private static String address(int region, int pair) {
        return "127.0." + region + "." + (20 + pair % 200);
    }

    static CrashPair postgres() throws Exception {
        int n = NEXT.incrementAndGet();
        PostgresServer primary = PostgresServer.primary(address(1, n));
        try {
            primary.sql("CREATE TABLE w (id int PRIMARY KEY)");
            return new Pg(primary, primary.standby(address(2, n)));
        } catch (Exception e) {
            primary.close();
            throw e;
        }
    }

    static CrashPair redis() throws Exception {
        int n = NEXT.incrementAndGet();
        RedisServer primary = RedisServer.primary(address(1, n));
        try {
            return new Redis(primary, RedisServer.replicaOf(primary, address(2, n)));
        } catch (Exception e) {
            primary.close();
            throw e;
        }
    }

    private static final class Pg extends CrashPair {

        private final Vertx vertx = Vertx.vertx();
        private final PostgresServer primary;
        private final PostgresServer standby;

        Pg(PostgresServer primary, PostgresServer standby) {
            super("postgres", primary.host(), primary.port(), standby.host(), standby.port());
            this.primary = primary;
            this.standby = standby;
        }

        private <T> T on(String host, java.util.function.Function<PgConnection, io.vertx.core.Future<T>> work) throws Exception {
            PgConnectOptions o = new PgConnectOptions().setHost(host).setPort(port(host)).setUser("postgres").setDatabase("postgres");
            return PgConnection.connect(vertx, o).compose(c -> work.apply(c).eventually(c::close))
                    .toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
        }

        @Override
        boolean write(String host, int id) {
            try {
                on(host, c -> c.preparedQuery("INSERT INTO w VALUES ($1)").execute(Tuple.of(id)));
                return true;
            } catch (Exception refused) {
                return false;
            }
        }

        @Override
        boolean writable(String host) {
            try {
                Row r = on(host, c -> c.query("SELECT pg_is_in_recovery() AS standby, current_setting('default_transaction_read_only') AS ro")
                        .execute()).iterator().next();
                return !r.getBoolean("standby") && r.getString("ro").equals("off");
            } catch (Exception down) {
                return false;
            }
        }

        @Override
        List<Integer> missing(List<Integer> ids) throws Exception {
            Set<Integer> held = new HashSet<>();
            on(standby.host(), c -> c.query("SELECT id FROM w").execute()).forEach(r -> held.add(r.getInteger("id")));
            return ids.stream().filter(id -> !held.contains(id)).toList();
        }

        @Override
        void killPrimary() throws Exception {
            primary.kill();
        }

        @Override
        public void close() throws Exception {
            try (standby; primary) {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static final class Redis extends CrashPair {

        private static final Pattern KEY = Pattern.compile("w:(\\d+)");
        private final RedisServer primary;
        private final RedisServer replica;

        Redis(RedisServer primary, RedisServer replica) {
            super("redis", primary.host(), primary.port(), replica.host(), replica.port());
            this.primary = primary;
            this.replica = replica;
        }

        /** One command over RESP on a fresh connection; the raw reply, or null when none came within {@code timeoutMs}. */
        private String send(String host, int timeoutMs, String... args) {
            StringBuilder cmd = new StringBuilder("*" + args.length + "\r\n");
            for (String a : args) {
                cmd.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port(host)), 500);
                s.setSoTimeout(timeoutMs);
                OutputStream out = s.getOutputStream();
                out.write(cmd.toString().getBytes(StandardCharsets.US_ASCII));
                InputStream in = s.getInputStream();
                byte[] buf = new byte[256];
                int n = in.read(buf); // the replies read here are one short line
                return n < 0 ? null : new String(buf, 0, n, StandardCharsets.US_ASCII);
            } catch (IOException noReply) {
                return null; // refused, or a write paused by a fence (the closed connection takes the command with it)
            }
        }

        @Override
        boolean write(String host, int id) {
            String r = send(host, 1000, "SET", "w:" + id, "1");
            return r != null && r.startsWith("+OK");
        }

        @Override
        boolean writable(String host) {
            String r = send(host, 100, "SET", "meridian-drill:sample", "1");
            return r != null && r.startsWith("+OK");
        }

        @Override
        List<Integer> missing(List<Integer> ids) throws Exception {
            Set<Integer> held = new HashSet<>();
            Matcher m = KEY.matcher(replica.cli("KEYS", "w:*"));
            while (m.find()) {
                held.add(Integer.parseInt(m.group(1)));
            }
            return ids.stream().filter(id -> !held.contains(id)).toList();
        }

        @Override
        void killPrimary() throws Exception {
            primary.kill();
        }

        @Override
        public void close() throws Exception {
            try (replica; primary) {
                // both stopped
            }
        }
    }
}
