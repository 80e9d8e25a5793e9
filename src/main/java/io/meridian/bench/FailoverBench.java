package io.meridian.bench;

import io.meridian.clock.Clock;
import io.meridian.config.ConfigLoader;
import io.meridian.config.MeridianConfig;
import io.meridian.daemon.DaemonVerticle;
import io.meridian.demo.LoopbackPort;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end detection: three backend processes on loopback and the daemon with its embedded DNS
 * server. Repeatedly kills the primary backend, makes it answer 503, and freezes it (SIGSTOP), and
 * measures how long until the DNS answer no longer holds it, and after restore, until it is back.
 * Then runs a flaky but healthy primary (10 % of probes fail) and counts false removals.
 * Method as in shared/bench/peers: a random wait of 0..interval before each fault and restore.
 */
@Command(name = "failover", description = "Measure failure detection end to end: backend fault to DNS answer change.")
public final class FailoverBench implements Callable<Integer> {

    private static final String NAME = "app.bench.meridian.test";
    private static final String PRIMARY = "127.0.1.1";

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", description = "faults of each kind, default: 5")
    int rounds = 5;

    @Option(names = "--interval", description = "probe interval, default: 500ms")
    String interval = "500ms";

    @Option(names = "--timeout", description = "probe timeout, default: 200ms")
    String timeout = "200ms";

    @Option(names = "--recheck", description = "re-probe delay after a failure, default: 50ms")
    String recheck = "50ms";

    @Option(names = "--rise", description = "default: 2")
    int rise = 2;

    @Option(names = "--fall", description = "default: 5")
    int fall = 5;

    @Option(names = "--flaky-seconds", description = "length of the false-removal run, default: 60")
    int flakySeconds = 60;

    @Option(names = "--flaky", description = "share of failing probes in the false-removal run, default: 0.1")
    double flaky = 0.1;

    private final Random random = new Random();
    private final Clock clock = Clock.system();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("meridian-bench");
        int port = LoopbackPort.free(PRIMARY);
        writeConfig(dir, port);
        MeridianConfig config = ConfigLoader.load(dir);
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));
        try {
            Process[] backend = {start(PRIMARY, port, 0), null, null};
            backend[1] = start("127.0.2.1", port, 0);
            backend[2] = start("127.0.3.1", port, 0);
            DaemonVerticle daemon = new DaemonVerticle(config, clock, router -> { });
            vertx.deployVerticle(daemon).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            DnsClient dns = vertx.createDnsClient(new DnsClientOptions().setHost("127.0.0.1").setPort(daemon.dnsPort())
                    .setQueryTimeout(1000).setRecursionDesired(false));
            out.printf("failover bench: 3 backends on 127.0.{1,2,3}.1:%d, check http every %s (timeout %s, recheck %s), rise %d, fall %d%n",
                    port, interval, timeout, recheck, rise, fall);
            out.flush();
            long intervalMs = config.checks().get(0).interval().toMillis();
            waitFor(dns, true, Duration.ofSeconds(30));
            for (String mode : List.of("kill", "503", "freeze")) {
                double[] detect = new double[rounds];
                double[] recover = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    waitFor(dns, true, Duration.ofSeconds(30));
                    sleep(random.nextInt((int) intervalMs + 1));
                    long t0 = clock.monotonicNanos();
                    switch (mode) {
                        case "kill" -> backend[0].destroyForcibly().waitFor();
                        case "503" -> control(port, 503);
                        default -> signal(backend[0], "STOP");
                    }
                    detect[i] = waitFor(dns, false, Duration.ofSeconds(30)) - t0;
                    sleep(random.nextInt((int) intervalMs + 1));
                    switch (mode) {
                        case "kill" -> backend[0] = start(PRIMARY, port, 0);
                        case "503" -> control(port, 200);
                        default -> signal(backend[0], "CONT");
                    }
                    long t1 = clock.monotonicNanos();
                    recover[i] = waitFor(dns, true, Duration.ofSeconds(30)) - t1;
                    System.err.printf("%s #%d: removed after %.0f ms, back after %.0f ms%n", mode, i + 1, detect[i] / 1e6, recover[i] / 1e6);
                }
                out.printf("%-7s removed: %s   back: %s%n", mode, stats(detect), stats(recover));
                out.flush();
            }
            backend[0].destroyForcibly().waitFor();
            backend[0] = start(PRIMARY, port, flaky);
            waitFor(dns, true, Duration.ofSeconds(30));
            int removals = countRemovals(dns, Duration.ofSeconds(flakySeconds));
            out.printf("false removals: %d in %d s with %.0f %% of probes failing at random (target: 0)%n",
                    removals, flakySeconds, flaky * 100);
            out.flush();
            return 0;
        } finally {
            processes.forEach(Process::destroyForcibly);
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    private void writeConfig(Path dir, int port) throws IOException {
        Files.createDirectories(dir.resolve("regions"));
        Files.createDirectories(dir.resolve("healthchecks"));
        Files.writeString(dir.resolve("meridian.yaml"), """
                vantage: local
                api: {listen: "127.0.0.1:0"}
                dns: {zone: bench.meridian.test, listen: "127.0.0.1:0"}
                health: {min-hold: 0s}
                automation: {max-failovers: 1000, cooldown: 0s, failback: 0s}
                services:
                  - {name: %s, policy: failover, ttl: 1s, regions: [one, two, three]}
                """.formatted(NAME));
        String[] names = {"one", "two", "three"};
        for (int i = 0; i < 3; i++) {
            Files.writeString(dir.resolve("regions/" + names[i] + ".yaml"), """
                    name: %s
                    priority: %d
                    endpoints:
                      - {address: 127.0.%d.1, port: %d, check: web}
                    """.formatted(names[i], i + 1, i + 1, port));
        }
        Files.writeString(dir.resolve("healthchecks/web.yaml"), """
                type: http
                path: /
                expect-status: [200]
                interval: %s
                timeout: %s
                recheck: %s
                rise: %d
                fall: %d
                """.formatted(interval, timeout, recheck, rise, fall));
    }

    private Process start(String address, int port, double flakyShare) throws Exception {
        Process p = ChildJvm.start(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1"), BackendMain.class,
                address, Integer.toString(port), Double.toString(flakyShare));
        processes.add(p);
        return p;
    }

    private static void signal(Process p, String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
    }

    private void control(int port, int status) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create("http://" + PRIMARY + ":" + port + "/control/status/" + status))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }

    private boolean answers(DnsClient dns) throws Exception {
        return dns.resolveA(NAME).toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS).contains(PRIMARY);
    }

    /** Polls every 5 ms until the primary is (or is not) in the answer; returns the monotonic time it was seen. */
    private long waitFor(DnsClient dns, boolean present, Duration limit) throws Exception {
        long deadline = clock.monotonicNanos() + limit.toNanos();
        while (clock.monotonicNanos() < deadline) {
            if (answers(dns) == present) {
                return clock.monotonicNanos();
            }
            sleep(5);
        }
        throw new IllegalStateException("the primary was " + (present ? "not back" : "still answered") + " after " + limit);
    }

    private int countRemovals(DnsClient dns, Duration length) throws Exception {
        long end = clock.monotonicNanos() + length.toNanos();
        int removals = 0;
        boolean was = true;
        while (clock.monotonicNanos() < end) {
            boolean is = answers(dns);
            if (was && !is) {
                removals++;
            }
            was = is;
            sleep(10);
        }
        return removals;
    }

    private static String stats(double[] nanos) {
        double[] ms = Arrays.stream(nanos).map(n -> n / 1e6).sorted().toArray();
        return String.format("min %4.0f ms, median %4.0f ms, max %4.0f ms", ms[0], ms[ms.length / 2], ms[ms.length - 1]);
    }

    private static void sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }
}
