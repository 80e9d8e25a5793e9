package io.meridian.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real {@code redis-server} (Debian's redis-server package) on a free loopback port, without persistence. */
public final class RedisServer implements AutoCloseable {

    private final Process process;
    private final int port;

    private RedisServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RedisServer primary() throws Exception {
        return start(null);
    }

    /** A replica of {@code primary}, started. */
    public static RedisServer replicaOf(RedisServer primary) throws Exception {
        return start(primary);
    }

    private static RedisServer start(RedisServer primary) throws Exception {
        int port = RunningDaemon.freePort("127.0.0.1");
        Path dir = Files.createTempDirectory("meridian-redis-");
        List<String> cmd = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", dir.toString(), "--repl-ping-replica-period", "1"));
        if (primary != null) {
            cmd.addAll(List.of("--replicaof", "127.0.0.1", String.valueOf(primary.port())));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        RedisServer r = new RedisServer(p, port);
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

    public String cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
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
