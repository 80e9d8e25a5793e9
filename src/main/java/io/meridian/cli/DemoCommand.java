package io.meridian.cli;

import io.meridian.config.MeridianConfig;
import io.meridian.daemon.DaemonVerticle;
import io.meridian.demo.DemoBackends;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import io.meridian.api.Authenticator;
import io.meridian.config.TokenConfig;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code meridian demo}: the daemon on the demo config plus simulated regional backends that can be failed. */
@Command(name = "demo", description = "Run the daemon with simulated regional backends on loopback that you can fail and restore.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    ConfigDirOption configDir = new ConfigDirOption();

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Option(names = "--cluster", description = "three daemons (one per region) and a three-member etcd they coordinate through")
    boolean cluster;

    private DemoBackends backends;

    @Override
    public Integer call() throws Exception {
        Optional<MeridianConfig> config = configDir.load(spec.commandLine().getErr());
        if (config.isEmpty()) {
            spec.commandLine().getErr().println("meridian demo: refusing to start on an invalid configuration");
            return 2;
        }
        // The demo has auth on too: fresh tokens for each role, state in a temporary directory.
        Map<String, String> tokens = new LinkedHashMap<>();
        List<TokenConfig> stored = new ArrayList<>();
        for (String role : List.of("viewer", "operator", "admin")) {
            byte[] raw = new byte[18];
            new SecureRandom().nextBytes(raw);
            String token = "demo-" + role + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            tokens.put(role, token);
            stored.add(new TokenConfig("demo-" + role, role, HexFormat.of().formatHex(Authenticator.sha256(token))));
        }
        MeridianConfig base = config.get();
        if (cluster) {
            StringBuilder file = new StringBuilder("tokens:\n");
            stored.forEach(t -> file.append("  - {name: ").append(t.name()).append(", role: ").append(t.role()).append(", sha256: ")
                    .append(t.sha256()).append("}\n"));
            return new io.meridian.demo.ClusterDemo(base, configDir.dir, tokens, file.toString()).run();
        }
        MeridianConfig c = demo(base, stored);
        // A reload reads the directory again and makes the demo's configuration of it the same way (the
        // demo's backends are those of the start: an endpoint added by a reload has none).
        return DaemonLauncher.runUntilStopped(c, () -> demo(io.meridian.config.ConfigLoader.load(configDir.dir), stored),
                vertx -> start(vertx, c), router -> backends.routes(router), daemon -> banner(c, daemon, tokens));
    }

    /** The demo's configuration of {@code base}: its tokens, state in a temporary directory, no databases, no coordination. */
    private static MeridianConfig demo(MeridianConfig base, List<TokenConfig> tokens) {
        return new MeridianConfig(base.vantage(),
                base.api().withTokens(tokens).withStateDir(Path.of(System.getProperty("java.io.tmpdir"), "meridian-demo")),
                base.dns(), base.services(), base.regions(), base.checks(), base.health(), base.automation(), base.clients(),
                List.of(), io.meridian.config.CoordinationConfig.local(), base.logging(), base.drills());
    }

    private io.vertx.core.Future<Void> start(Vertx vertx, MeridianConfig c) {
        backends = new DemoBackends(vertx, c);
        return backends.startAll();
    }

    private static void banner(MeridianConfig c, DaemonVerticle d, Map<String, String> tokens) {
        String api = "http://" + c.api().listen().host() + ":" + d.apiPort();
        String service = c.services().get(0).name();
        String firstRegion = c.regions().stream().min(java.util.Comparator.comparingInt(r -> r.priority())).orElseThrow().name();
        System.out.println();
        System.out.println("Meridian demo is running. Try:");
        System.out.println("  dig @" + c.dns().listen().host() + " -p " + d.dnsPort() + " " + service + " +short");
        System.out.println("  curl -s -X POST " + api + "/demo/regions/" + firstRegion + "/fail      # then dig again");
        System.out.println("  curl -s -X POST " + api + "/demo/regions/" + firstRegion + "/restore");
        System.out.println("  curl -s " + api + "/v1/regions/" + firstRegion + "/health");
        System.out.println("  curl -s " + api + "/metrics | grep meridian_");
        System.out.println();
        System.out.println("The API needs a token. This demo made three (they change at every start):");
        tokens.forEach((role, token) -> System.out.printf("  %-8s %s%n", role, token));
        System.out.println("  export MERIDIAN_API=" + api + " MERIDIAN_TOKEN=" + tokens.get("operator"));
        System.out.println("  bin/meridian status");
        System.out.println("  bin/meridian drain " + firstRegion + " --reason \"maintenance\" --dry-run");
        System.out.println("  bin/meridian failover " + service + " --to " + c.regions().stream()
                .filter(r -> !r.name().equals(firstRegion)).findFirst().orElseThrow().name() + " --reason \"drill\" --yes");
        System.out.println("  bin/meridian history");
        System.out.println("  curl -s -H \"Authorization: Bearer $MERIDIAN_TOKEN\" " + api + "/v1/status");
        System.out.println();
        System.out.println("Dashboard: " + api + "/ui/  (sign in with the operator token above)");
        System.out.println("Journal and overrides: " + c.api().stateDir() + ". Stop with Ctrl-C.");
        System.out.println();
    }
}
