package io.meridian.demo;

import io.meridian.config.MeridianConfig;
import io.meridian.config.RegionConfig;
import io.meridian.config.ServiceConfig;
import io.meridian.api.ApiErrors;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code meridian demo --cluster}: a daemon per region of the demo configuration (each its own vantage,
 * its DNS and API on its region's loopback address .53), a three-member etcd they coordinate through,
 * and the simulated backends, with a control endpoint to fail a region, cut a daemon off, and kill or
 * start a daemon. Every daemon is a process of its own, as in production: {@code kill -9} works.
 */
public final class ClusterDemo {

    static final String CONTROL = "127.0.0.1:8090";

    private final MeridianConfig base;
    private final Path configDir;
    private final Path root;
    private final Map<String, String> tokens;
    private final String tokensFile;
    private final Map<String, Process> daemons = new LinkedHashMap<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private LocalEtcd etcd;

    /**
     * @param tokens     role -> token (printed), and {@code tokensFile} the tokens file that admits them
     */
    public ClusterDemo(MeridianConfig base, Path configDir, Map<String, String> tokens, String tokensFile) throws IOException {
        this.base = base;
        this.configDir = configDir;
        this.tokens = tokens;
        this.tokensFile = tokensFile;
        this.root = Files.createTempDirectory("meridian-demo-cluster-");
        for (RegionConfig r : base.regions().stream().sorted(java.util.Comparator.comparingInt(RegionConfig::priority)).toList()) {
            addresses.put(r.name(), loopbackOf(r, addresses.size()));
        }
    }

    /** The region's own loopback network (its first endpoint's 127.a.b.*), host .53; else 127.0.(10+i).53. */
    static String loopbackOf(RegionConfig r, int i) {
        String a = r.endpoints().isEmpty() ? "" : r.endpoints().get(0).address();
        String[] parts = a.split("\\.");
        return parts.length == 4 && parts[0].equals("127") ? "127." + parts[1] + "." + parts[2] + ".53" : "127.0." + (10 + i) + ".53";
    }

    /** Runs until the process is told to stop; returns the exit code. */
    public int run() throws Exception {
        Vertx vertx = Vertx.vertx();
        DemoBackends backends = new DemoBackends(vertx, base);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stopAll(vertx)));
        etcd = LocalEtcd.start(3);
        backends.startAll().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        Router control = Router.router(vertx);
        backends.routes(control);
        control.post("/demo/daemons/:vantage/kill").handler(ctx -> daemonAction(ctx, true));
        control.post("/demo/daemons/:vantage/start").handler(ctx -> daemonAction(ctx, false));
        vertx.createHttpServer().requestHandler(control).listen(8090, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        for (String v : addresses.keySet()) {
            writeConfig(v);
            launch(v);
        }
        banner();
        new CountDownLatch(1).await();
        return 0;
    }

    private void daemonAction(io.vertx.ext.web.RoutingContext ctx, boolean kill) {
        String v = ctx.pathParam("vantage");
        if (!addresses.containsKey(v)) {
            ApiErrors.error(ctx, 404, "unknown_vantage", "no daemon for '" + v + "' in this demo");
            return;
        }
        try {
            if (kill) {
                daemons.get(v).destroyForcibly();
            } else if (!daemons.get(v).isAlive()) {
                launch(v);
            }
            ApiErrors.json(ctx, 200, new JsonObject().put("vantage", v).put("running", daemons.get(v).isAlive() && !kill));
        } catch (IOException e) {
            ApiErrors.error(ctx, 500, "demo", e.getMessage());
        }
    }

    private Path dir(String vantage) {
        return root.resolve(vantage);
    }

    private void writeConfig(String vantage) throws IOException {
        Path d = Files.createDirectories(dir(vantage));
        for (String sub : List.of("regions", "healthchecks")) {
            Files.createDirectories(d.resolve(sub));
            try (var files = Files.list(configDir.resolve(sub))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                    Files.copy(f, d.resolve(sub).resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.writeString(d.resolve("tokens.yaml"), tokensFile);
        Files.writeString(d.resolve("meridian.yaml"), yaml(vantage));
    }

    /** The daemon file of one vantage: the demo's zone and services, coordination through the local etcd. */
    String yaml(String vantage) {
        String address = addresses.get(vantage);
        StringBuilder b = new StringBuilder()
                .append("# Written by meridian demo --cluster for the daemon of ").append(vantage).append(".\n")
                .append("vantage: ").append(vantage).append('\n')
                .append("api:\n  listen: ").append(address).append(":8080\n  tokens: tokens.yaml\n")
                .append("dns:\n  zone: ").append(base.dns().zone()).append("\n  listen: ").append(address).append(":5353\n")
                .append("health:\n  vantages: [").append(String.join(", ", addresses.keySet())).append("]\n")
                .append("  quorum: majority\n  staleness: 5s\n  min-hold: 0s\n")
                .append("automation:\n  max-failovers: 10\n  failover-window: 1h\n  cooldown: 0s\n  failback: 0s\n")
                .append("services:\n");
        for (ServiceConfig s : base.services()) {
            b.append("  - {name: ").append(s.name()).append(", policy: ").append(s.policy().name().toLowerCase(Locale.ROOT))
                    .append(", ttl: ").append(s.ttl().toSeconds()).append("s, regions: [").append(String.join(", ", s.regions())).append("]}\n");
        }
        b.append("coordination:\n  type: etcd\n  endpoints: [").append(String.join(", ", etcd.endpoints())).append("]\n")
                .append("  prefix: /meridian/demo/\n  lease-ttl: 3s\n  grace: 1s\n  reassert: 500ms\n");
        return b.toString();
    }

    private void launch(String vantage) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar;
        try {
            jar = Path.of(ClusterDemo.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IOException("cannot find the Meridian jar: " + e.getMessage(), e);
        }
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx192m", "-jar", jar, "run", "--config-dir", dir(vantage).toString()));
        daemons.put(vantage, new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir(vantage).resolve("daemon.log").toFile())).start());
    }

    private void banner() {
        String first = addresses.keySet().iterator().next();
        String service = base.services().get(0).name();
        System.out.println();
        System.out.println("Meridian cluster demo: " + addresses.size() + " daemons coordinating through a 3-member etcd (" + String.join(", ", etcd.endpoints()) + ").");
        addresses.forEach((v, a) -> System.out.printf("  %-9s DNS %s:5353  API http://%s:8080  pid %d  log %s%n", v, a, a, daemons.get(v).pid(),
                dir(v).resolve("daemon.log")));
        System.out.println();
        System.out.println("Every region answers the same (the leader's answers):");
        System.out.println("  for ns in " + String.join(" ", addresses.values()) + "; do dig @$ns -p 5353 " + service + " +short; done");
        System.out.println("Who leads, under which term, and how fresh each vantage is:");
        System.out.println("  export MERIDIAN_API=http://" + addresses.get(first) + ":8080 MERIDIAN_TOKEN=" + tokens.get("operator"));
        System.out.println("  bin/meridian status");
        System.out.println("Fail a region (every daemon sees it; the answer moves once 2 of 3 agree):");
        System.out.println("  curl -s -X POST http://" + CONTROL + "/demo/regions/" + first + "/fail     # .../restore");
        System.out.println("Cut one daemon off (its probes all fail; the others set it aside; nothing moves):");
        System.out.println("  curl -s -X POST http://" + CONTROL + "/demo/vantages/" + addresses.keySet().stream().reduce((a, b) -> b).orElse(first)
                + "/cut     # .../reconnect");
        System.out.println("Kill the leader (another leads within lease-ttl 3 s + grace 1 s; every region keeps answering):");
        System.out.println("  kill -9 <its pid above>     # or: curl -s -X POST http://" + CONTROL + "/demo/daemons/NAME/kill (.../start)");
        System.out.println("A drain through any daemon is applied by the leader, audited once:");
        System.out.println("  bin/meridian drain " + first + " --reason \"maintenance\" --yes");
        System.out.println("Tokens: " + tokens);
        System.out.println("State and logs: " + root + ". Stop with Ctrl-C.");
        System.out.println();
    }

    private void stopAll(Vertx vertx) {
        daemons.values().forEach(p -> {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            if (etcd != null) {
                etcd.close();
            }
        } catch (Exception ignored) {
            // exiting anyway
        }
        vertx.close();
    }
}
