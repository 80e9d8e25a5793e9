package io.meridian.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (Debian's postgresql package) on a free loopback port, in a fresh data
 * directory, run as the {@code postgres} user when the tests run as root. A standby is made with
 * {@code pg_basebackup -R} and streams from its primary. Trust authentication on 127.0.0.1 only.
 */
public final class PostgresServer implements AutoCloseable {

    private static final Path BIN = binDir();

    private final Path data;
    private final String host;
    private final int port;
    private boolean running = true;

    private PostgresServer(Path data, String host, int port) {
        this.data = data;
        this.host = host;
        this.port = port;
    }

    private static Path binDir() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.sorted(java.util.Comparator.reverseOrder()).findFirst().orElseThrow().resolve("bin");
        } catch (IOException e) {
            throw new IllegalStateException("PostgreSQL is not installed (apt-get install postgresql)", e);
        }
    }

    public static PostgresServer primary() throws Exception {
        return primary("127.0.0.1");
    }

    /** @param host the loopback address it listens on (127.0.0.0/8), so regions can have distinct addresses */
    public static PostgresServer primary(String host) throws Exception {
        Path data = newDataDir();
        int port = RunningDaemon.freePort(host);
        run(BIN.resolve("initdb").toString(), "-D", data.toString(), "-A", "trust", "-U", "postgres", "--no-sync");
        Files.writeString(data.resolve("postgresql.conf"), """
                listen_addresses = '%s'
                port = %d
                unix_socket_directories = '%s'
                wal_level = replica
                max_wal_senders = 8
                wal_keep_size = '128MB'
                hot_standby = on
                fsync = off
                full_page_writes = on
                """.formatted(host, port, data), java.nio.file.StandardOpenOption.APPEND);
        Files.writeString(data.resolve("pg_hba.conf"), """
                local all all trust
                host all all 127.0.0.0/8 trust
                host replication all 127.0.0.0/8 trust
                """);
        PostgresServer pg = new PostgresServer(data, host, port);
        pg.start();
        return pg;
    }

    /** A streaming standby of this server ({@code pg_basebackup -R}), started. */
    public PostgresServer standby() throws Exception {
        return standby("127.0.0.1");
    }

    public PostgresServer standby(String standbyHost) throws Exception {
        Path dir = newDataDir();
        Files.delete(dir);
        int standbyPort = RunningDaemon.freePort(standbyHost);
        run(BIN.resolve("pg_basebackup").toString(), "-h", host, "-p", String.valueOf(port), "-U", "postgres",
                "-D", dir.toString(), "-R", "-X", "stream", "--no-sync");
        Path conf = dir.resolve("postgresql.conf");
        Files.writeString(conf, Files.readString(conf).replace("port = " + port, "port = " + standbyPort)
                .replace("listen_addresses = '" + host + "'", "listen_addresses = '" + standbyHost + "'")
                .replace("unix_socket_directories = '" + data + "'", "unix_socket_directories = '" + dir + "'"));
        Files.deleteIfExists(dir.resolve("postmaster.pid"));
        PostgresServer s = new PostgresServer(dir, standbyHost, standbyPort);
        s.start();
        return s;
    }

    private static Path newDataDir() throws Exception {
        Path dir = Files.createTempDirectory("meridian-pg-");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        if (asRoot()) {
            new ProcessBuilder("chown", "postgres:postgres", dir.toString()).inheritIO().start().waitFor();
        }
        return dir;
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public void start() throws Exception {
        run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", data.resolve("server.log").toString(), "-w", "-t", "60", "start");
        running = true;
    }

    public int port() {
        return port;
    }

    public String host() {
        return host;
    }

    /** kill -9 of the postmaster: a crash, no shutdown checkpoint, no goodbye to the standby. */
    public void kill() throws Exception {
        String pid = Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim();
        new ProcessBuilder("kill", "-9", pid).inheritIO().start().waitFor();
        // Its backends notice the postmaster is gone and exit; wait until the port is free again.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket ignored = new java.net.Socket(host, port)) {
                Thread.sleep(50);
            } catch (IOException refused) {
                break;
            }
        }
        running = false;
    }

    /** Runs SQL with psql; returns the unaligned rows. */
    public String sql(String statement) throws Exception {
        return run(BIN.resolve("psql").toString(), "-h", host, "-p", String.valueOf(port), "-U", "postgres", "-d", "postgres",
                "-v", "ON_ERROR_STOP=1", "-Atc", statement).strip();
    }

    private static String run(String... command) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asRoot()) {
            cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).directory(new java.io.File("/tmp")).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        if (running) {
            try {
                run(BIN.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop");
            } catch (IllegalStateException ignored) {
                // already gone
            }
        }
        new ProcessBuilder("rm", "-rf", data.toString()).start().waitFor();
    }
}
