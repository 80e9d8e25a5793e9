package io.meridian.testing;

import io.meridian.clock.Clock;
import io.meridian.config.ConfigLoader;
import io.meridian.config.MeridianConfig;
import io.meridian.daemon.DaemonVerticle;
import io.meridian.demo.DemoBackends;
import io.meridian.replication.StepGate;
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
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The whole daemon in-process on free loopback ports, with demo backends for two regions
 * (127.0.1.x us-east, 127.0.2.x eu-west) that a test can fail and restore, and helpers to query
 * its DNS server and API.
 */
public final class RunningDaemon implements AutoCloseable {

    public final Vertx vertx = Vertx.vertx();
    public final MeridianConfig config;
    public final DaemonVerticle daemon;
    private final HttpClient http = HttpClient.newHttpClient();

    private RunningDaemon(MeridianConfig config, StepGate gate, Path dir) throws Exception {
        this(config, gate, true, dir);
    }

    /** @param dir where a reload reads the configuration again */
    private RunningDaemon(MeridianConfig config, StepGate gate, boolean withBackends, Path dir) throws Exception {
        this.config = config;
        DemoBackends backends = new DemoBackends(vertx, config);
        this.daemon = new DaemonVerticle(config, Clock.system(), withBackends ? backends::routes : router -> { }).stepGate(gate)
                .reloadFrom(() -> ConfigLoader.load(dir));
        (withBackends ? backends.startAll() : io.vertx.core.Future.<Void>succeededFuture()).compose(v -> vertx.deployVerticle(daemon))
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** The daemon of the configuration in {@code dir} as it is, on a Vert.x of its own, without demo backends. */
    public static RunningDaemon inProcess(Path dir, StepGate gate) throws Exception {
        return new RunningDaemon(ConfigLoader.load(dir), gate, false, dir);
    }

    /** Writes a config with fast checks (200 ms, rise 2, fall 2) into {@code dir} and starts it. */
    public static RunningDaemon start(Path dir) throws Exception {
        return start(dir, StepGate.OPEN);
    }

    /** As {@link #start(Path)}, with role-change steps passing through {@code gate} (crash drills). */
    public static RunningDaemon start(Path dir, StepGate gate) throws Exception {
        writeConfig(dir);
        return new RunningDaemon(ConfigLoader.load(dir), gate, dir);
    }

    /** A region file with two endpoints: name, priority, then address and port of each. */
    public static final String REGION = """
            name: %s
            priority: %d
            endpoints:
              - {address: %s, port: %d, check: web}
              - {address: %s, port: %d, check: web}
            """;

    /** Writes the test configuration (unless {@code dir} holds one): two regions of two endpoints, fast checks. */
    public static void writeConfig(Path dir) throws Exception {
        String region = REGION;
        if (!dir.resolve("meridian.yaml").toFile().exists()) {
            ConfigDir.base()
                    .with("regions/us-east.yaml", region.formatted("us-east", 1, "127.0.1.1", freePort("127.0.1.1"), "127.0.1.2", freePort("127.0.1.2")))
                    .with("regions/eu-west.yaml", region.formatted("eu-west", 2, "127.0.2.1", freePort("127.0.2.1"), "127.0.2.2", freePort("127.0.2.2")))
                    .with("healthchecks/web.yaml", """
                            type: http
                            path: /healthz
                            body-contains: hello
                            interval: 200ms
                            timeout: 150ms
                            rise: 2
                            fall: 2
                            """)
                    .writeTo(dir);
        }
    }

    public static int freePort(String address) throws Exception {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(address, 0));
            return s.getLocalPort();
        }
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + daemon.apiPort();
    }

    public List<String> answer(String name, boolean tcp) throws Exception {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(daemon.dnsPort());
        r.setTCP(tcp);
        r.setTimeout(Duration.ofSeconds(2));
        Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN)));
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
    }

    public HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(apiUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public JsonObject json(String method, String path, String token, String body) throws Exception {
        return new JsonObject(call(method, path, token, body).body());
    }

    /** Reads the engine on its own event loop. */
    public boolean engineRegionUp(String region) throws Exception {
        CompletableFuture<Boolean> up = new CompletableFuture<>();
        daemon.context().runOnContext(v -> up.complete(daemon.controller().engine().regions().get(region).up()));
        return up.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }
}
