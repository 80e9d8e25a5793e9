package io.meridian.cli;

import io.meridian.config.MeridianConfig;
import io.meridian.daemon.DaemonVerticle;
import io.meridian.demo.DemoBackends;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code meridian demo}: the daemon on the demo config plus simulated regional backends that can be failed. */
@Command(name = "demo", description = "Run the daemon with simulated regional backends on loopback that you can fail and restore.")
final class DemoCommand implements Callable<Integer> {

    @Mixin
    ConfigDirOption configDir = new ConfigDirOption();

    @Spec
    CommandSpec spec;

    private DemoBackends backends;

    @Override
    public Integer call() throws InterruptedException {
        Optional<MeridianConfig> config = configDir.load(spec.commandLine().getErr());
        if (config.isEmpty()) {
            spec.commandLine().getErr().println("meridian demo: refusing to start on an invalid configuration");
            return 2;
        }
        MeridianConfig c = config.get();
        return DaemonLauncher.runUntilStopped(c, vertx -> start(vertx, c), router -> backends.routes(router),
                daemon -> banner(c, daemon));
    }

    private io.vertx.core.Future<Void> start(Vertx vertx, MeridianConfig c) {
        backends = new DemoBackends(vertx, c);
        return backends.startAll();
    }

    private static void banner(MeridianConfig c, DaemonVerticle d) {
        String api = "http://" + c.api().listen().host() + ":" + d.apiPort();
        String service = c.services().get(0).name();
        String firstRegion = c.regions().stream().min(java.util.Comparator.comparingInt(r -> r.priority())).orElseThrow().name();
        System.out.println();
        System.out.println("Meridian demo is running. Try:");
        System.out.println("  dig @" + c.dns().listen().host() + " -p " + d.dnsPort() + " " + service + " +short");
        System.out.println("  curl -s " + api + "/v1/status");
        System.out.println("  curl -s -X POST " + api + "/demo/regions/" + firstRegion + "/fail      # then dig again");
        System.out.println("  curl -s -X POST " + api + "/demo/regions/" + firstRegion + "/restore");
        System.out.println("  curl -s " + api + "/v1/regions/" + firstRegion + "/health");
        System.out.println("  curl -s " + api + "/metrics | grep meridian_");
        System.out.println("Stop with Ctrl-C.");
        System.out.println();
    }
}
