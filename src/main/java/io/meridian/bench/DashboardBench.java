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
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether open dashboards slow the decision loop: the whole daemon in this process with N HTTP targets
 * (a farm in its own process) in three regions, seen from three vantages (this daemon's probes, and
 * its own report handed in again as two more vantages every 2 s). Two phases of equal length: no
 * dashboard, then S dashboards in a process of their own ({@link DashboardClientsMain}), each as the
 * page behaves. The bench runs the controller's tick itself, once a second as the daemon does by
 * default, and times each; a timer that does nothing else fires every 200 ms on the controller's loop
 * and records how late it came. (An extra timed tick every 200 ms made a new status snapshot five times
 * as often as the daemon does.) The dashboards all come from 127.0.0.1 here, so the API's per-source
 * bound is raised to let them stand for fifty machines; for the same reason the farm and the dashboards
 * run at the lowest priority (unless {@code --same-priority}): on this machine they take only the cores
 * the daemon leaves, as on their own machines they would take none of its.
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

    @Option(names = "--same-priority", description = "run the farm and the dashboards at the daemon's priority (default: nice 19, as they stand for other machines)")
    boolean samePriority;

    private final Clock clock = Clock.system();
    /** The current phase's tick durations in microseconds (swapped at each phase). */
    private final AtomicReference<List<Long>> ticks =
            new AtomicReference<>(Collections.synchronizedList(new ArrayList<>()));

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Duration phase = Durations.parse(duration).orElseThrow(() -> new IllegalArgumentException("--duration " + duration + " is not a duration"));
        int base = 23_000;
        Process farm = child(List.of("-Xmx256m"), TargetFarmMain.class, "127.0.0.1", Integer.toString(base), Integer.toString(targets));
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        Process clients = null;
        try {
            Path dir = writeConfig(Files.createTempDirectory("meridian-dashboard-bench"), base);
            DaemonVerticle daemon = new DaemonVerticle(ConfigLoader.load(dir), clock, r -> { });
            vertx.deployVerticle(daemon).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            daemon.context().runOnContext(v -> {
                vertx.setPeriodic(2000, id -> {
                    VantageReport mine = daemon.controller().shared().report("");
                    for (String other : List.of("v2", "v3")) {
                        daemon.controller().shared().onReport(other, Optional.of(new VantageReport(other, "", mine.targets())));
                    }
                });
                vertx.setPeriodic(1000, id -> { // the daemon's own tick is set to a minute: this one stands for it, timed
                    long t0 = clock.monotonicNanos();
                    daemon.controller().tick();
                    ticks.get().add((clock.monotonicNanos() - t0) / 1000);
                });
            });
            Thread.sleep(5000); // warm up: first results, the other vantages' first reports
            out.printf("dashboard bench: %d targets in 3 regions x 3 vantages, phases of %s; a tick a second, timed; a timer every 200 ms on the controller's loop;"
                    + " the farm and the dashboards %s%n", targets, duration, samePriority ? "at the daemon's priority" : "at nice 19");
            out.printf("%-14s %9s %9s %9s %11s %11s %11s %13s %13s%n", "phase", "tick p50", "tick p99", "tick max", "timer p50",
                    "timer p99", "timer max", "status p50", "status p99");
            Phase quiet = measure(daemon, vertx, phase);
            report(out, "no dashboard", quiet, "-", "-");
            // The dashboards in a process of their own; the first seconds hold their connect burst (50 streams and
            // first reads at once, the status and history code still cold for the JIT), reported apart.
            Path results = Files.createTempFile("meridian-dashboard-clients", ".txt");
            List<String> args = new ArrayList<>(List.of("http://127.0.0.1:" + daemon.apiPort(), TOKEN, Integer.toString(dashboards),
                    Long.toString(CONNECTING.toSeconds()), Long.toString(phase.toSeconds()), results.toString()));
            args.addAll(REGIONS);
            clients = child(List.of("-Xmx512m"), DashboardClientsMain.class, args.toArray(String[]::new));
            Thread.sleep(2000); // the clients' JVM settles (its JIT) before they open
            clients.getOutputStream().write("go\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            clients.getOutputStream().flush();
            Phase connecting = measure(daemon, vertx, CONNECTING);
            Phase open = measure(daemon, vertx, phase);
            if (!clients.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the dashboards' process did not finish");
            }
            String[] r = Files.readString(results).trim().split(" ");
            report(out, "  connecting", connecting, "-", "-");
            boolean read = !r[1].equals("0");
            report(out, dashboards + " dashboards", open, read ? r[4] + "ms" : "-", read ? r[5] + "ms" : "-");
            out.printf("/v1/status: %s bytes, %s reads, %s failed requests; streams still open: %s of %d%n", r[0], r[1], r[2], r[3], dashboards);
            out.println("the timer's worst firing in each phase:");
            worst(out, "no dashboard", quiet);
            worst(out, "  connecting", connecting);
            worst(out, dashboards + " dashboards", open);
            return 0;
        } finally {
            if (clients != null) {
                clients.destroyForcibly();
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
            farm.destroyForcibly().waitFor();
        }
    }

    private Process child(List<String> jvmOptions, Class<?> main, String... args) throws java.io.IOException {
        return samePriority ? ChildJvm.start(jvmOptions, main, args) : ChildJvm.startBelow(jvmOptions, main, args);
    }

    /**
     * The ticks' durations and the 200 ms timer's lateness during {@code phase}, in microseconds, and its worst
     * firing: how late, how much CPU the loop's thread used since the firing before, how long it waited for a
     * core and how long the collector paused the process in that time (what a late timer was waiting for).
     */
    private record Phase(List<Long> ticks, List<Long> late, long[] worst) {
    }

    private Phase measure(DaemonVerticle daemon, Vertx vertx, Duration phase) throws Exception {
        List<Long> late = Collections.synchronizedList(new ArrayList<>());
        List<Long> phaseTicks = Collections.synchronizedList(new ArrayList<>());
        long[] worst = {-1, 0, 0, 0}; // late us, loop CPU us, GC ms, run-queue wait us; written on the loop, read after the phase
        CompletableFuture<Long> timer = new CompletableFuture<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        daemon.context().runOnContext(v -> {
            ticks.set(phaseTicks);
            long[] before = {threads.getCurrentThreadCpuTime(), gcMillis(), runQueueNanos()};
            long[] due = {clock.monotonicNanos() + 200_000_000L};
            timer.complete(vertx.setPeriodic(200, id -> {
                long lateUs = Math.max(0, clock.monotonicNanos() - due[0]) / 1000;
                long cpu = threads.getCurrentThreadCpuTime();
                long gc = gcMillis();
                long waited = runQueueNanos();
                late.add(lateUs);
                if (lateUs > worst[0]) {
                    worst[0] = lateUs;
                    worst[1] = (cpu - before[0]) / 1000;
                    worst[2] = gc - before[1];
                    worst[3] = (waited - before[2]) / 1000;
                }
                before[0] = cpu;
                before[1] = gc;
                before[2] = waited;
                due[0] += 200_000_000L;
            }));
        });
        long id = timer.get(5, TimeUnit.SECONDS);
        Thread.sleep(phase.toMillis());
        CompletableFuture<long[]> last = new CompletableFuture<>();
        daemon.context().runOnContext(v -> {
            vertx.cancelTimer(id);
            last.complete(worst.clone());
        });
        return new Phase(phaseTicks, late, last.get(5, TimeUnit.SECONDS));
    }

    /** How long the calling thread has been runnable without a core (Linux's schedstat; 0 elsewhere). */
    private static long runQueueNanos() {
        try {
            return Long.parseLong(Files.readString(Path.of("/proc/thread-self/schedstat")).trim().split(" ")[1]);
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    /** How long the collectors have paused this process so far (young and full collections). */
    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** The timer's worst firing in a phase: whether the loop was working, the process paused, or the thread waited for a core. */
    private static void worst(PrintWriter out, String phase, Phase samples) {
        out.printf("%-14s timer %.1f ms late; since the firing before, the loop's thread ran %.1f ms, waited %.1f ms for a core, the collector paused %d ms%n",
                phase, samples.worst()[0] / 1e3, samples.worst()[1] / 1e3, samples.worst()[3] / 1e3, samples.worst()[2]);
    }

    private static void report(PrintWriter out, String phase, Phase samples, String statusP50, String statusP99) {
        long[] ticks = sorted(samples.ticks());
        long[] lags = sorted(samples.late());
        out.printf("%-14s %7.2fms %7.2fms %7.2fms %9.2fms %9.2fms %9.2fms %13s %13s%n", phase, q(ticks, .5) / 1e3, q(ticks, .99) / 1e3,
                q(ticks, 1) / 1e3, q(lags, .5) / 1e3, q(lags, .99) / 1e3, q(lags, 1) / 1e3,
                statusP50, statusP99);
        out.flush();
    }

    /** A synchronized list's values, sorted (the dashboards' process uses it too). */
    static long[] sorted(List<Long> values) {
        synchronized (values) {
            return values.stream().mapToLong(Long::longValue).sorted().toArray();
        }
    }

    /** The {@code p} quantile of sorted values; 0 when there are none. */
    static long q(long[] sorted, double p) {
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
                automation: {tick: 1m}
                health: {vantages: [v1, v2, v3], quorum: majority, staleness: 10s, min-hold: 0s}
                services:
                  - {name: app.bench.meridian.test, policy: failover, ttl: 5s, regions: [us-east, eu-west, ap-south]}
                  - {name: www.bench.meridian.test, policy: weighted, ttl: 5s, regions: [us-east, eu-west, ap-south]}
                """.formatted(LoopbackPort.free("127.0.0.1"), LoopbackPort.free("127.0.0.1")));
        return dir;
    }
}
