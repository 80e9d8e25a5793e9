package io.meridian.bench;

import io.meridian.api.Authenticator;
import io.meridian.clock.Clock;
import io.meridian.config.ConfigLoader;
import io.meridian.config.Durations;
import io.meridian.coord.VantageReport;
import io.meridian.daemon.DaemonVerticle;
import io.meridian.demo.LoopbackPort;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether open dashboards slow the decision loop: the whole daemon in this process with N HTTP targets
 * (a farm in its own process) in three regions, seen from three vantages (this daemon's probes, and
 * its own report handed in again as two more vantages every 2 s). Two phases of equal length: no
 * dashboard, then S dashboards, each as the page behaves (an open {@code /v1/events/stream},
 * {@code /v1/status} every 2 s, each region's {@code /v1/history} every 10 s). Every 200 ms, on the
 * controller's loop, it times one controller tick and how late the timer fired. The dashboards all come
 * from 127.0.0.1 here, so the API's per-source bound is raised to let them stand for fifty machines.
 */
@Command(name = "dashboard", description = "Tick latency of the decision loop with and without open dashboards.")
public final class DashboardBench implements java.util.concurrent.Callable<Integer> {

    private static final String TOKEN = "dashboard-bench-token";
    private static final List<String> REGIONS = List.of("us-east", "eu-west", "ap-south");
    /** How long after the dashboards open the loop is measured apart (see the call). */
    private static final Duration CONNECTING = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Option(names = "--targets", description = "default: 1000")
    int targets = 1000;

    @Option(names = "--dashboards", description = "default: 50")
    int dashboards = 50;

    @Option(names = "--duration", description = "each phase, default: 30s")
    String duration = "30s";

    private final Clock clock = Clock.system();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Duration phase = Durations.parse(duration).orElseThrow(() -> new IllegalArgumentException("--duration " + duration + " is not a duration"));
        int base = 23_000;
        Process farm = ChildJvm.start(List.of("-Xmx256m"), TargetFarmMain.class, "127.0.0.1", Integer.toString(base), Integer.toString(targets));
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        ScheduledExecutorService pollers = Executors.newScheduledThreadPool(4);
        try {
            Path dir = writeConfig(Files.createTempDirectory("meridian-dashboard-bench"), base);
            DaemonVerticle daemon = new DaemonVerticle(ConfigLoader.load(dir), clock, r -> { });
            vertx.deployVerticle(daemon).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            daemon.context().runOnContext(v -> vertx.setPeriodic(2000, id -> {
                VantageReport mine = daemon.controller().shared().report("");
                for (String other : List.of("v2", "v3")) {
                    daemon.controller().shared().onReport(other, Optional.of(new VantageReport(other, "", mine.targets())));
                }
            }));
            Thread.sleep(5000); // warm up: first results, the other vantages' first reports
            out.printf("dashboard bench: %d targets in 3 regions x 3 vantages, phases of %s; a tick timed every 200 ms on the controller's loop%n",
                    targets, duration);
            out.printf("%-14s %9s %9s %9s %11s %11s %11s %13s %13s%n", "phase", "tick p50", "tick p99", "tick max", "timer p50",
                    "timer p99", "timer max", "status p50", "status p99");
            report(out, "no dashboard", measure(daemon, vertx, phase), List.of());
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String api = "http://127.0.0.1:" + daemon.apiPort();
            List<Long> statusMillis = Collections.synchronizedList(new ArrayList<>());
            AtomicLong errors = new AtomicLong();
            AtomicLong statusBytes = new AtomicLong();
            List<CompletableFuture<?>> streams = new ArrayList<>();
            for (int i = 0; i < dashboards; i++) {
                streams.add(http.sendAsync(get(api + "/v1/events/stream"), HttpResponse.BodyHandlers.discarding()));
                long offset = i * 2000L / dashboards;
                pollers.scheduleAtFixedRate(() -> {
                    long t0 = clock.monotonicNanos();
                    http.sendAsync(get(api + "/v1/status"), HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, err) -> {
                        if (err != null || r.statusCode() != 200) {
                            errors.incrementAndGet();
                        } else {
                            statusMillis.add((clock.monotonicNanos() - t0) / 1_000_000);
                            statusBytes.set(r.body().length);
                        }
                    });
                }, offset, 2000, TimeUnit.MILLISECONDS);
                pollers.scheduleAtFixedRate(() -> REGIONS.forEach(r -> http.sendAsync(get(api + "/v1/history?region=" + r + "&endpoints=none"),
                        HttpResponse.BodyHandlers.discarding()).whenComplete((x, err) -> {
                            if (err != null || x.statusCode() != 200) {
                                errors.incrementAndGet();
                            }
                        })), offset * 5, 10_000, TimeUnit.MILLISECONDS);
            }
            // The first seconds hold the connect burst (50 streams and first reads at once, the status and history
            // code still cold for the JIT): reported apart from the steady state that follows.
            report(out, "  connecting", measure(daemon, vertx, CONNECTING), List.of());
            statusMillis.clear();
            report(out, dashboards + " dashboards", measure(daemon, vertx, phase), statusMillis);
            out.printf("/v1/status: %d bytes, %d reads, %d failed requests; streams still open: %d of %d%n", statusBytes.get(), statusMillis.size(),
                    errors.get(), streams.stream().filter(f -> !f.isDone()).count(), dashboards);
            streams.forEach(f -> f.cancel(true));
            return 0;
        } finally {
            pollers.shutdownNow();
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            farm.destroyForcibly().waitFor();
        }
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(30)).build();
    }

    /** Tick durations and timer lateness, in microseconds, for {@code phase}. */
    private List<long[]> measure(DaemonVerticle daemon, Vertx vertx, Duration phase) throws Exception {
        List<long[]> samples = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Long> timer = new CompletableFuture<>();
        daemon.context().runOnContext(v -> {
            long[] due = {clock.monotonicNanos() + 200_000_000L};
            timer.complete(vertx.setPeriodic(200, id -> {
                long late = clock.monotonicNanos() - due[0];
                due[0] += 200_000_000L;
                long t0 = clock.monotonicNanos();
                daemon.controller().tick();
                samples.add(new long[] {(clock.monotonicNanos() - t0) / 1000, Math.max(0, late) / 1000});
            }));
        });
        long id = timer.get(5, TimeUnit.SECONDS);
        Thread.sleep(phase.toMillis());
        daemon.context().runOnContext(v -> vertx.cancelTimer(id));
        return new ArrayList<>(samples);
    }

    private static void report(PrintWriter out, String phase, List<long[]> samples, List<Long> statusMillis) {
        long[] ticks = samples.stream().mapToLong(s -> s[0]).sorted().toArray();
        long[] lags = samples.stream().mapToLong(s -> s[1]).sorted().toArray();
        long[] status;
        synchronized (statusMillis) {
            status = statusMillis.stream().mapToLong(Long::longValue).sorted().toArray();
        }
        out.printf("%-14s %7.2fms %7.2fms %7.2fms %9.2fms %9.2fms %9.2fms %13s %13s%n", phase, q(ticks, .5) / 1e3, q(ticks, .99) / 1e3,
                q(ticks, 1) / 1e3, q(lags, .5) / 1e3, q(lags, .99) / 1e3, q(lags, 1) / 1e3,
                status.length == 0 ? "-" : q(status, .5) + "ms", status.length == 0 ? "-" : q(status, .99) + "ms");
        out.flush();
    }

    private static long q(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted.length == 0 ? 0 : sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private Path writeConfig(Path dir, int base) throws Exception {
        Files.createDirectories(dir.resolve("regions"));
        Files.createDirectories(dir.resolve("healthchecks"));
        Files.createDirectories(dir.resolve("state"));
        for (int r = 0; r < REGIONS.size(); r++) {
            StringBuilder b = new StringBuilder("name: " + REGIONS.get(r) + "\npriority: " + (r + 1) + "\nendpoints:\n");
            for (int i = r; i < targets; i += REGIONS.size()) {
                b.append("  - {address: 127.0.0.1, port: ").append(base + i).append(", check: web}\n");
            }
            Files.writeString(dir.resolve("regions/" + REGIONS.get(r) + ".yaml"), b);
        }
        Files.writeString(dir.resolve("healthchecks/web.yaml"), "type: http\npath: /ok\ninterval: 1s\ntimeout: 500ms\nrise: 2\nfall: 2\n");
        Files.writeString(dir.resolve("tokens.yaml"), "tokens:\n  - {name: bench, role: viewer, sha256: "
                + HexFormat.of().formatHex(Authenticator.sha256(TOKEN)) + "}\n");
        Files.writeString(dir.resolve("meridian.yaml"), """
                vantage: v1
                api: {listen: "127.0.0.1:%d", tokens: tokens.yaml, state-dir: state,
                      limits: {max-connections: 512, max-connections-per-source: 512}}
                dns: {zone: bench.meridian.test, listen: "127.0.0.1:%d"}
                health: {vantages: [v1, v2, v3], quorum: majority, staleness: 10s, min-hold: 0s}
                services:
                  - {name: app.bench.meridian.test, policy: failover, ttl: 5s, regions: [us-east, eu-west, ap-south]}
                  - {name: www.bench.meridian.test, policy: weighted, ttl: 5s, regions: [us-east, eu-west, ap-south]}
                """.formatted(LoopbackPort.free("127.0.0.1"), LoopbackPort.free("127.0.0.1")));
        return dir;
    }
}
