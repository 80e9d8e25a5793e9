package io.meridian.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real {@code redis-server} (Debian's redis-server package) on a free loopback port, without persistence. */
public final class RedisServer implements AutoCloseable {

    private final Process process;
    private final String host;
    private final int port;

    private RedisServer(Process process, String host, int port) {
        this.process = process;
        this.host = host;
        this.port = port;
    }

    public static RedisServer primary() throws Exception {
        return start("127.0.0.1", null);
    }

    /** @param host the loopback address it listens on (127.0.0.0/8) */
    public static RedisServer primary(String host) throws Exception {
        return start(host, null);
    }

    /** A replica of {@code primary}, started. */
    public static RedisServer replicaOf(RedisServer primary) throws Exception {
        return start("127.0.0.1", primary);
    }

    public static RedisServer replicaOf(RedisServer primary, String host) throws Exception {
        return start(host, primary);
    }

    private static RedisServer start(String host, RedisServer primary) throws Exception {
        int port = RunningDaemon.freePort(host);
        Path dir = Files.createTempDirectory("meridian-redis-");
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", host,
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--repl-ping-replica-period", "1"));
        if (primary != null) {
            cmd.addAll(List.of("--replicaof", primary.host, String.valueOf(primary.port())));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisServer r = new RedisServer(p, host, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try {
                if (r.cli("PING").equals("PONG")) {
                    return r;
                }
            } catch (IllegalStateException notYet) {
                // not listening yet
            }
            Thread.sleep(20);
        }
        p.destroyForcibly();
        throw new IllegalStateException("redis-server on port " + port + " did not answer PING: " + Files.readString(dir.resolve("redis.log")));
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    public String cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", host, "-p", String.valueOf(port)));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 || out.startsWith("Could not connect")) {
            throw new IllegalStateException("redis-cli " + String.join(" ", args) + ": " + out);
        }
        return out;
    }

    /** kill -9: no goodbye to replicas. */
    public void kill() throws Exception {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        kill();
    }
}
