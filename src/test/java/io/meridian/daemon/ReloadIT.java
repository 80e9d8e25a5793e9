package io.meridian.daemon;

import io.meridian.config.ReloadOutcome;
import io.meridian.replication.StepGate;
import io.meridian.testing.ConfigDir;
import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Twenty reloads, good and bad, adding and removing endpoints, regions and services, while two
 * clients query the daemon's DNS server without pause, one over UDP and one over TCP: no query fails
 * or comes back empty, and every answer is the one of the configuration in force then (or, for the
 * moment a reload takes to carry out, of the one before it).
 */
class ReloadIT {

    private static final String APP = "app.example.test";
    private static final String WWW = "www.example.test";
    private static final String NX = "NXDOMAIN";

    @TempDir
    Path dir;

    private final Vertx backends = Vertx.vertx();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private RunningDaemon d;

    /** One configuration: regions (priority, endpoint addresses) and services (regions in order), or a broken one. */
    private record Version(String what, Map<String, Region> regions, Map<String, List<String>> services, Optional<String> breakage) {
        Version with(String what) {
            return new Version(what, new LinkedHashMap<>(regions), new LinkedHashMap<>(services), Optional.empty());
        }

        /** What a failover service answers with every endpoint up: the addresses of its first region by priority. */
        List<String> expected(String service) {
            List<String> order = services.get(service);
            if (order == null) {
                return List.of(NX);
            }
            return order.stream().map(regions::get).min(Comparator.comparingInt(Region::priority))
                    .map(r -> r.addresses().stream().sorted().toList()).orElseThrow();
        }
    }

    private record Region(int priority, List<String> addresses) {
    }

    private record Seen(long at, String name, List<String> answer, boolean tcp) {
    }

    @AfterEach
    void stop() throws Exception {
        if (d != null) {
            d.close();
        }
        backends.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private void backend(String address) throws Exception {
        int port = backends.createHttpServer().requestHandler(req -> req.response().end("hello"))
                .listen(0, address).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        ports.put(address, port);
    }

    private void write(Version v) throws IOException {
        Path regions = dir.resolve("regions");
        if (Files.exists(regions)) {
            try (Stream<Path> files = Files.list(regions)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
        }
        StringBuilder services = new StringBuilder();
        v.services().forEach((name, order) -> services.append("  - {name: ").append(name).append(", policy: failover, ttl: 5s, regions: ")
                .append(order).append("}\n"));
        ConfigDir c = ConfigDir.base()
                .with("meridian.yaml", """
                        vantage: us-east
                        api: {listen: 127.0.0.1:0, tokens: tokens.yaml}
                        dns: {zone: example.test, listen: %s}
                        health: {min-hold: 0s, startup-wait: 0s}
                        automation: {failback: 0s, cooldown: 0s}
                        services:
                        """.formatted(v.breakage().filter("listen"::equals).map(x -> "127.0.0.1:5399").orElse("127.0.0.1:0")) + services)
                .with("healthchecks/web.yaml", "type: http\npath: /healthz\nbody-contains: hello\ninterval: 100ms\ntimeout: 80ms\nrise: 2\nfall: 2\n")
                .without("regions/us-east.yaml").without("regions/eu-west.yaml");
        v.regions().forEach((name, r) -> {
            StringBuilder yaml = new StringBuilder("name: " + name + "\npriority: " + r.priority() + "\nendpoints:\n");
            r.addresses().forEach(a -> yaml.append("  - {address: ").append(a).append(", port: ").append(ports.get(a))
                    .append(", check: ").append(v.breakage().filter("check"::equals).map(x -> "nosuchcheck").orElse("web")).append("}\n"));
            c.with("regions/" + name + ".yaml", v.breakage().filter("yaml"::equals).isPresent() && name.equals("eu-west")
                    ? yaml.toString().replace("priority:", "priority: [") : yaml.toString());
        });
        c.writeTo(dir);
    }

    /**
     * The addresses answered, sorted; or the rcode when not NOERROR; or why it failed. Over TCP on a
     * connection of its own (dnsjava's client keeps and reuses one, and a query it sends as the server
     * closes it after {@code max-requests} is reset: that client does not retry, as resolvers do).
     */
    private List<String> query(String name, boolean tcp) {
        try {
            Message q = Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN));
            Message m;
            if (tcp) {
                try (java.net.Socket s = new java.net.Socket(InetAddress.getLoopbackAddress(), d.daemon.dnsPort())) {
                    s.setSoTimeout(2000);
                    byte[] wire = q.toWire();
                    java.io.DataOutputStream out = new java.io.DataOutputStream(s.getOutputStream());
                    out.writeShort(wire.length);
                    out.write(wire);
                    out.flush();
                    java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
                    byte[] answer = new byte[in.readUnsignedShort()];
                    in.readFully(answer);
                    m = new Message(answer);
                }
            } else {
                SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
                r.setPort(d.daemon.dnsPort());
                r.setTimeout(Duration.ofSeconds(2));
                m = r.send(q);
            }
            if (m.getRcode() != Rcode.NOERROR) {
                return List.of(Rcode.string(m.getRcode()));
            }
            return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
        } catch (IOException e) {
            return List.of("failed: " + e.getMessage());
        }
    }

    private ReloadOutcome reloadThroughTheApi() throws Exception {
        HttpResponse<String> r = d.call("POST", "/v1/reload", TestTokens.ADMIN, null);
        JsonObject b = new JsonObject(r.body());
        ReloadOutcome.Kind kind = ReloadOutcome.Kind.valueOf(b.getString("outcome").toUpperCase());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(switch (kind) {
            case APPLIED -> 200;
            case INVALID -> 422;
            case REFUSED -> 409;
        });
        return new ReloadOutcome(kind, strings(b.getJsonArray("changes")), strings(b.getJsonArray("problems")));
    }

    private static List<String> strings(JsonArray a) {
        return a.stream().map(String::valueOf).toList();
    }

    @Test
    void twentyReloadsWhileQueriesNeverFailAndAlwaysMatchTheConfigInForce() throws Exception {
        for (String a : List.of("127.0.1.1", "127.0.1.2", "127.0.1.3", "127.0.2.1", "127.0.2.2", "127.0.3.1")) {
            backend(a);
        }
        Map<String, Region> regions = new LinkedHashMap<>();
        regions.put("us-east", new Region(10, List.of("127.0.1.1", "127.0.1.2")));
        regions.put("eu-west", new Region(20, List.of("127.0.2.1", "127.0.2.2")));
        Map<String, List<String>> services = new LinkedHashMap<>();
        services.put(APP, List.of("us-east", "eu-west"));
        Version v = new Version("start", regions, services, Optional.empty());
        write(v);
        d = RunningDaemon.inProcess(dir, StepGate.OPEN);
        Version start = v;
        await().atMost(Duration.ofSeconds(10)).until(() -> query(APP, false).equals(start.expected(APP)));

        // The steps: each a good configuration, or a broken one (which must change nothing).
        List<Version> steps = new ArrayList<>();
        Version cur = v;
        steps.add(cur = cur.with("+ endpoint us-east/127.0.1.3"));
        cur.regions().put("us-east", new Region(10, List.of("127.0.1.1", "127.0.1.2", "127.0.1.3")));
        steps.add(broken(cur, "yaml"));
        steps.add(cur = cur.with("+ service www"));
        cur.services().put(WWW, List.of("eu-west", "us-east"));
        steps.add(cur = cur.with("- endpoint us-east/127.0.1.2"));
        cur.regions().put("us-east", new Region(10, List.of("127.0.1.1", "127.0.1.3")));
        steps.add(broken(cur, "listen"));
        steps.add(cur = cur.with("+ region ap-south"));
        cur.regions().put("ap-south", new Region(30, List.of("127.0.3.1")));
        cur.services().put(APP, List.of("us-east", "eu-west", "ap-south"));
        steps.add(cur = cur.with("ap-south first for www"));
        cur.regions().put("ap-south", new Region(5, List.of("127.0.3.1")));
        cur.services().put(WWW, List.of("eu-west", "us-east", "ap-south"));
        steps.add(broken(cur, "check"));
        steps.add(cur = cur.with("- service www"));
        cur.services().remove(WWW);
        steps.add(cur = cur.with("+ endpoint us-east/127.0.1.2 again"));
        cur.regions().put("us-east", new Region(10, List.of("127.0.1.1", "127.0.1.2", "127.0.1.3")));
        steps.add(cur = cur.with("- region ap-south"));
        cur.regions().remove("ap-south");
        cur.services().put(APP, List.of("us-east", "eu-west"));
        steps.add(cur = cur.with("eu-west first"));
        cur.regions().put("eu-west", new Region(5, List.of("127.0.2.1", "127.0.2.2")));
        steps.add(broken(cur, "yaml"));
        steps.add(cur = cur.with("+ service www again"));
        cur.services().put(WWW, List.of("us-east"));
        steps.add(cur = cur.with("us-east first again"));
        cur.regions().put("eu-west", new Region(20, List.of("127.0.2.1", "127.0.2.2")));
        steps.add(cur = cur.with("- endpoint eu-west/127.0.2.2"));
        cur.regions().put("eu-west", new Region(20, List.of("127.0.2.1")));
        steps.add(broken(cur, "listen"));
        steps.add(cur = cur.with("- endpoints us-east/127.0.1.1 and .3"));
        cur.regions().put("us-east", new Region(10, List.of("127.0.1.2")));
        steps.add(cur = cur.with("unchanged"));
        steps.add(cur = cur.with("- service www, + endpoint eu-west/127.0.2.2"));
        cur.services().remove(WWW);
        cur.regions().put("eu-west", new Region(20, List.of("127.0.2.1", "127.0.2.2")));
        assertThat(steps).hasSize(20);

        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
        AtomicInteger queries = new AtomicInteger();
        List<Thread> clients = new ArrayList<>();
        for (boolean tcp : new boolean[] {false, true}) {
            Thread t = new Thread(() -> {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!done.get() && System.nanoTime() < until && queries.get() < 200_000) {
                    for (String name : List.of(APP, WWW)) {
                        seen.add(new Seen(System.nanoTime(), name, query(name, tcp), tcp));
                        queries.incrementAndGet();
                    }
                }
            }, tcp ? "tcp-client" : "udp-client");
            t.start();
            clients.add(t);
        }

        // The configuration in force from each moment on: the one before, then the new one once the reload answered.
        List<long[]> windows = new ArrayList<>();
        List<Version[]> allowed = new ArrayList<>();
        Version inForce = v;
        int reloads = 0;
        for (Version step : steps) {
            write(step);
            long from = System.nanoTime();
            ReloadOutcome o = reloads % 2 == 0 ? reloadThroughTheApi() : d.daemon.reload("test").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            reloads++;
            if (step.breakage().isPresent()) {
                assertThat(o.applied()).as(step.what() + ": " + o.summary()).isFalse();
                assertThat(o.problems()).as(step.what()).isNotEmpty();
                if (!step.breakage().get().equals("listen")) {
                    assertThat(o.problems()).as("file:line:col").allMatch(p -> p.matches("[^:]+\\.yaml:\\d+:\\d+: .*"));
                }
                continue;
            }
            assertThat(o.applied()).as(step.what() + ": " + o.summary()).isTrue();
            windows.add(new long[] {from});
            allowed.add(new Version[] {inForce, step});
            Version now = step;
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).alias(step.what())
                    .until(() -> everyTargetUp() && query(APP, false).equals(now.expected(APP)) && query(WWW, true).equals(now.expected(WWW)));
            // Settled: from here on only the new configuration's answers count.
            windows.add(new long[] {System.nanoTime()});
            allowed.add(new Version[] {step});
            inForce = step;
        }
        done.set(true);
        for (Thread t : clients) {
            t.join(10_000);
        }

        assertThat(queries.get()).as("queries answered across the reloads").isGreaterThan(200);
        List<String> wrong = new ArrayList<>();
        Version initial = v;
        for (Seen s : seen) {
            int w = -1;
            for (int i = 0; i < windows.size(); i++) {
                if (windows.get(i)[0] <= s.at()) {
                    w = i;
                }
            }
            Version[] ok = w < 0 ? new Version[] {initial} : allowed.get(w);
            boolean right = Stream.of(ok).anyMatch(x -> x.expected(s.name()).equals(s.answer()));
            if (!right) {
                wrong.add((s.tcp() ? "tcp " : "udp ") + s.name() + " -> " + s.answer() + " during "
                        + Stream.of(ok).map(Version::what).toList());
            }
        }
        assertThat(wrong).as("answers that fail, are empty, or belong to no configuration in force (of " + seen.size() + ")")
                .isEmpty();

        // Every reload is in the journal, taken or not; since the first, no target went back to UNKNOWN or
        // DOWN and nothing failed open (the start, with its wait of 0s, does fail open for a moment).
        List<JsonObject> events = d.json("GET", "/v1/events?limit=1000", TestTokens.ADMIN, null).getJsonArray("events").stream()
                .map(JsonObject.class::cast).toList();
        List<JsonObject> reloadsJournaled = events.stream().filter(e -> "RELOAD".equals(e.getString("kind"))).toList();
        assertThat(reloadsJournaled).hasSize(steps.size());
        long firstReload = reloadsJournaled.stream().mapToLong(e -> e.getLong("seq")).min().orElseThrow();
        List<JsonObject> since = events.stream().filter(e -> e.getLong("seq") > firstReload).toList();
        assertThat(since).extracting(e -> e.getString("kind")).doesNotContain("FAIL_OPEN");
        assertThat(since).filteredOn(e -> "TARGET_STATE".equals(e.getString("kind"))).extracting(e -> e.getString("message"))
                .noneMatch(m -> m.contains("-> UNKNOWN") || m.contains("-> DOWN"));
        // The meters of what was removed are gone.
        String metrics = d.call("GET", "/metrics", null, null).body();
        assertThat(metrics).doesNotContain("region=\"ap-south\"").doesNotContain("127.0.1.1:").contains("127.0.1.2:");
    }

    /** Every configured target is UP (a new one once it has had its rise results), read on the engine's loop. */
    private boolean everyTargetUp() throws Exception {
        java.util.concurrent.CompletableFuture<Boolean> up = new java.util.concurrent.CompletableFuture<>();
        d.daemon.context().runOnContext(x -> up.complete(d.daemon.controller().engine().health().verdicts().values().stream()
                .allMatch(v -> v.state() == io.meridian.health.TargetState.UP)));
        return up.get(5, TimeUnit.SECONDS);
    }

    private static Version broken(Version v, String how) {
        return new Version("broken (" + how + ")", v.regions(), v.services(), Optional.of(how));
    }

    @Test
    void onlyAnAdminMayReload() throws Exception {
        Map<String, Region> regions = new LinkedHashMap<>();
        regions.put("us-east", new Region(10, List.of("127.0.1.1")));
        backend("127.0.1.1");
        write(new Version("start", regions, Map.of(APP, List.of("us-east")), Optional.empty()));
        d = RunningDaemon.inProcess(dir, StepGate.OPEN);
        HttpResponse<String> r = d.call("POST", "/v1/reload", TestTokens.OPERATOR, null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("needs admin");
        assertThat(reloadThroughTheApi().changes()).isEmpty();
    }
}
