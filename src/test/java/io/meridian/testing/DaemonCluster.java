package io.meridian.testing;

import io.meridian.config.ConfigLoader;
import io.meridian.config.MeridianConfig;
import io.meridian.demo.DemoBackends;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Three Meridian daemons (vantages us-east, eu-west, ap-south), each in its own process from the built
 * jar, coordinating through a real etcd cluster; the backends of both regions in this JVM (they can
 * refuse one vantage's probes: its region cut off). Fast timers: 200 ms checks (rise 2, fall 2), a
 * 2 s lease, 500 ms grace and reports every 300 ms.
 */
public final class DaemonCluster implements AutoCloseable {

    public static final List<String> VANTAGES = List.of("us-east", "eu-west", "ap-south");
    public static final String APP = "app.example.test";

    private final Path root;
    private final EtcdCluster etcd;
    private final Vertx vertx = Vertx.vertx();
    private final DemoBackends backends;
    private final MeridianConfig shape;
    private final Map<String, Daemon> daemons = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final java.util.Set<String> frozen = new java.util.HashSet<>();
    public final String prefix;

    /** One daemon's process and where it listens. */
    public static final class Daemon {
        public final String vantage;
        public final Path dir;
        public final int api;
        public final int dns;
        Process process;

        Daemon(String vantage, Path dir, int api, int dns) {
            this.vantage = vantage;
            this.dir = dir;
            this.api = api;
            this.dns = dns;
        }

        public String log() throws Exception {
            return Files.readString(dir.resolve("daemon.log"));
        }
    }

    private DaemonCluster(Path root, EtcdCluster etcd, String extra, Map<String, String> regionExtra) throws Exception {
        this.root = root;
        this.etcd = etcd;
        this.prefix = "/meridian/" + root.getFileName() + "/";
        String region = RunningDaemon.REGION;
        ConfigDir files = ConfigDir.base()
                .with("regions/us-east.yaml", region.formatted("us-east", 1, "127.0.1.1", RunningDaemon.freePort("127.0.1.1"),
                        "127.0.1.2", RunningDaemon.freePort("127.0.1.2")) + regionExtra.getOrDefault("us-east", ""))
                .with("regions/eu-west.yaml", region.formatted("eu-west", 2, "127.0.2.1", RunningDaemon.freePort("127.0.2.1"),
                        "127.0.2.2", RunningDaemon.freePort("127.0.2.2")) + regionExtra.getOrDefault("eu-west", ""))
                .with("healthchecks/web.yaml", "type: http\npath: /\nbody-contains: hello\ninterval: 200ms\ntimeout: 150ms\nrise: 2\nfall: 2\n");
        String endpoints = String.join(", ", etcd.endpoints());
        for (String v : VANTAGES) {
            Daemon d = new Daemon(v, Files.createDirectories(root.resolve(v)), RunningDaemon.freePort("127.0.0.1"), RunningDaemon.freePort("127.0.0.1"));
            files.with("meridian.yaml", """
                    vantage: %s
                    api:
                      listen: 127.0.0.1:%d
                      tokens: tokens.yaml
                    dns:
                      zone: example.test
                      listen: 127.0.0.1:%d
                    services:
                      - {name: app.example.test, policy: failover, ttl: 5s, regions: [us-east, eu-west]}
                    health:
                      vantages: [us-east, eu-west, ap-south]
                      quorum: majority
                      staleness: 2s
                      min-hold: 0s
                    automation:
                      failback: 0s
                      cooldown: 0s
                    coordination:
                      type: etcd
                      endpoints: [%s]
                      prefix: %s
                      lease-ttl: 2s
                      grace: 500ms
                      reassert: 300ms
                    logging: {levels: {io.meridian.coord.etcd: debug}}
                    %s""".formatted(v, d.api, d.dns, endpoints, prefix, extra)).writeTo(d.dir);
            daemons.put(v, d);
        }
        this.shape = ConfigLoader.load(daemons.get("us-east").dir);
        this.backends = new DemoBackends(vertx, shape);
        backends.startAll().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Writes the three configs, starts the backends and every daemon, and waits until each answers /healthz. */
    public static DaemonCluster start(Path root, EtcdCluster etcd) throws Exception {
        return start(root, etcd, "");
    }

    /**
     * The three configuration directories and the backends, without starting any daemon (a test may run
     * them in-process: {@link RunningDaemon#inProcess}).
     *
     * @param extra       more of meridian.yaml, the same for every daemon (e.g. a databases: section)
     * @param regionExtra more of a region's file, by region (e.g. its database members)
     */
    public static DaemonCluster configure(Path root, EtcdCluster etcd, String extra, Map<String, String> regionExtra) throws Exception {
        return new DaemonCluster(root, etcd, extra, regionExtra);
    }

    public static DaemonCluster start(Path root, EtcdCluster etcd, String extra) throws Exception {
        DaemonCluster c = new DaemonCluster(root, etcd, extra, Map.of());
        try {
            for (String v : VANTAGES) {
                c.launch(v);
            }
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    public Daemon daemon(String vantage) {
        return daemons.get(vantage);
    }

    public void launch(String vantage) throws Exception {
        Daemon d = daemons.get(vantage);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        d.process = new ProcessBuilder(java, "-Xmx192m", "-XX:TieredStopAtLevel=1",
                "-jar", Path.of("target/meridian.jar").toAbsolutePath().toString(),
                "run", "--config-dir", d.dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(d.dir.resolve("daemon.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                if (call(vantage, "GET", "/healthz", null, null).statusCode() == 200) {
                    return;
                }
            } catch (Exception notYet) {
                // not listening yet
            }
            if (!d.process.isAlive()) {
                throw new IllegalStateException(vantage + " exited: " + d.log());
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException(vantage + " did not answer /healthz: " + d.log());
    }

    /** kill -9. */
    public void kill(String vantage) throws Exception {
        daemons.get(vantage).process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    public void freeze(String vantage) throws Exception {
        signal(vantage, "STOP");
        frozen.add(vantage);
    }

    public void thaw(String vantage) throws Exception {
        signal(vantage, "CONT");
        frozen.remove(vantage);
    }

    private void signal(String vantage, String sig) throws Exception {
        new ProcessBuilder("kill", "-" + sig, Long.toString(daemons.get(vantage).process.pid())).start().waitFor(5, TimeUnit.SECONDS);
    }

    /** Running and not frozen: it answers. */
    public boolean alive(String vantage) {
        return daemons.get(vantage).process.isAlive() && !frozen.contains(vantage);
    }

    public DemoBackends backends() {
        return backends;
    }

    public MeridianConfig shape() {
        return shape;
    }

    public EtcdCluster etcd() {
        return etcd;
    }

    /** The A records {@code vantage}'s embedded server gives for {@code name} (UDP), sorted. */
    public List<String> answer(String vantage, String name) throws Exception {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(daemons.get(vantage).dns);
        r.setTimeout(Duration.ofSeconds(1));
        Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN)));
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
    }

    public HttpResponse<String> call(String vantage, String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + daemons.get(vantage).api + path))
                .timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public JsonObject status(String vantage) throws Exception {
        return new JsonObject(call(vantage, "GET", "/v1/status", TestTokens.VIEWER, null).body());
    }

    /** The leader as {@code vantage} reports it (its /v1/status), if it knows one. */
    public Optional<String> leaderSeenBy(String vantage) {
        try {
            JsonObject c = status(vantage).getJsonObject("coordination");
            return Optional.ofNullable(c == null ? null : c.getString("leader"));
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The daemon that says it acts (leads with a current term), if exactly one does. */
    public Optional<String> acting() {
        List<String> acting = VANTAGES.stream().filter(this::alive).filter(v -> {
            try {
                JsonObject c = status(v).getJsonObject("coordination");
                return c != null && c.getBoolean("acting", false);
            } catch (Exception e) {
                return false;
            }
        }).toList();
        return acting.size() == 1 ? Optional.of(acting.get(0)) : Optional.empty();
    }

    @Override
    public void close() throws Exception {
        for (Daemon d : daemons.values()) {
            if (d.process != null && d.process.isAlive()) {
                new ProcessBuilder("kill", "-CONT", Long.toString(d.process.pid())).start().waitFor(5, TimeUnit.SECONDS);
                d.process.destroy();
                if (!d.process.waitFor(5, TimeUnit.SECONDS)) {
                    d.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
