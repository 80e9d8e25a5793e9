package io.meridian.demo;

import io.meridian.clock.Clock;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * An etcd cluster of {@code n} members on loopback (Debian's etcd-server), on free ports, with fast
 * timers (heartbeat 50 ms, election 500 ms): for {@code meridian demo --cluster} and the tests. Members
 * can be killed, frozen (SIGSTOP) and thawed; everything is stopped and removed on close.
 */
public class LocalEtcd implements AutoCloseable {

    private final Path dir;
    private final List<Member> members = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private static final class Member {
        final String name;
        final int client;
        final int peer;
        Process process;

        Member(String name, int client, int peer) {
            this.name = name;
            this.client = client;
            this.peer = peer;
        }
    }

    protected LocalEtcd(Path dir, int n) throws IOException {
        this.dir = dir;
        for (int i = 0; i < n; i++) {
            members.add(new Member("m" + i, LoopbackPort.free("127.0.0.1"), LoopbackPort.free("127.0.0.1")));
        }
    }

    /** Starts {@code n} members in a fresh directory and waits until every one is healthy. */
    public static LocalEtcd start(int n) throws Exception {
        LocalEtcd e = new LocalEtcd(Files.createTempDirectory("meridian-etcd-"), n);
        e.launchAll();
        return e;
    }

    protected final void launchAll() throws Exception {
        try {
            for (int i = 0; i < members.size(); i++) {
                launch(i);
            }
            awaitHealthy(Duration.ofSeconds(30));
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    private void launch(int i) throws IOException {
        Member m = members.get(i);
        String cluster = members.stream().map(x -> x.name + "=http://127.0.0.1:" + x.peer).collect(Collectors.joining(","));
        Path data = dir.resolve(m.name);
        List<String> cmd = List.of("etcd", "--name", m.name, "--data-dir", data.toString(),
                "--listen-client-urls", "http://127.0.0.1:" + m.client, "--advertise-client-urls", "http://127.0.0.1:" + m.client,
                "--listen-peer-urls", "http://127.0.0.1:" + m.peer, "--initial-advertise-peer-urls", "http://127.0.0.1:" + m.peer,
                "--initial-cluster", cluster, "--initial-cluster-state", "new", "--initial-cluster-token", dir.getFileName().toString(),
                "--heartbeat-interval", "50", "--election-timeout", "500", "--logger", "zap", "--log-level", "warn");
        try {
            m.process = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(m.name + ".log").toFile())).start();
        } catch (IOException e) {
            throw new IOException("etcd cannot be started (" + e.getMessage() + "): install Debian's etcd-server package", e);
        }
    }

    /** The client URLs, for {@code coordination.endpoints}. */
    public List<String> endpoints() {
        return members.stream().map(m -> "http://127.0.0.1:" + m.client).toList();
    }

    public Path dir() {
        return dir;
    }

    public void awaitHealthy(Duration within) throws Exception {
        Clock clock = Clock.system();
        long deadline = clock.monotonicNanos() + within.toNanos();
        while (clock.monotonicNanos() < deadline) {
            if (members.stream().filter(m -> m.process != null && m.process.isAlive()).allMatch(this::healthy)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("etcd did not become healthy within " + within + ": " + logs());
    }

    private boolean healthy(Member m) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.client + "/health"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && r.body().contains("\"true\"");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** kill -9 of member {@code i}. */
    public void kill(int i) throws InterruptedException {
        members.get(i).process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGSTOP every member: etcd stops answering without closing a connection. */
    public void freezeAll() throws Exception {
        for (Member m : members) {
            signal(m, "STOP");
        }
    }

    public void thawAll() throws Exception {
        for (Member m : members) {
            signal(m, "CONT");
        }
    }

    private static void signal(Member m, String sig) throws Exception {
        if (m.process != null && m.process.isAlive()) {
            new ProcessBuilder("kill", "-" + sig, Long.toString(m.process.pid())).start().waitFor(5, TimeUnit.SECONDS);
        }
    }

    public String logs() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Member m : members) {
            Path log = dir.resolve(m.name + ".log");
            if (Files.exists(log)) {
                String text = Files.readString(log);
                sb.append("\n--- ").append(m.name).append(" ---\n").append(text, Math.max(0, text.length() - 2000), text.length());
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws Exception {
        for (Member m : members) {
            if (m.process != null) {
                signal(m, "CONT");
                m.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
