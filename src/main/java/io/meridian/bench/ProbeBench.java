package io.meridian.bench;

import io.meridian.clock.Clock;
import io.meridian.config.CheckType;
import io.meridian.config.Durations;
import io.meridian.config.HealthCheckConfig;
import io.meridian.probe.FailureReason;
import io.meridian.probe.ProbeResult;
import io.meridian.probe.ProbeScheduler;
import io.meridian.probe.ProbeTarget;
import io.meridian.probe.Prober;
import io.meridian.probe.http.HttpProber;
import io.meridian.probe.tcp.TcpProber;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real scheduler and HTTP prober against N local targets (in a separate farm process:
 * most healthy, some slow, some failing; with {@code --hostile}, also targets that hang, dribble,
 * send 100 MB, answer garbage or refuse) and prints probes/s scheduled and completed, start-lag
 * percentiles, CPU per 1,000 probes, heap after GC and open descriptors, every 30 s and at the end.
 */
@Command(name = "probes", description = "Measure the probe scheduler: N local HTTP targets, lag, CPU, heap, descriptors.")
public final class ProbeBench implements java.util.concurrent.Callable<Integer> {

    static final String ADDRESS = "127.0.20.1";

    /** Starts in the first seconds are not counted: JIT compilation and the first connection storm. */
    static final Duration WARM_UP = Duration.ofSeconds(5);

    @Spec
    CommandSpec spec;

    @Option(names = "--targets", description = "default: 10000")
    int targets = 10_000;

    @Option(names = "--interval", description = "default: 1s")
    String interval = "1s";

    @Option(names = "--duration", description = "default: 60s")
    String duration = "60s";

    @Option(names = "--timeout", description = "default: 500ms")
    String timeout = "500ms";

    @Option(names = "--ports", description = "farm ports the targets spread over, default: 50")
    int ports = 50;

    @Option(names = "--hostile", description = "make a quarter of the targets hang, dribble, send 100 MB, answer garbage or refuse")
    boolean hostile;

    @Option(names = "--keep-alive", description = "reuse connections between probes (default: a fresh connection per probe)")
    boolean keepAlive;

    private final Clock clock = Clock.system();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Duration every = Durations.parse(interval).orElseThrow(() -> new IllegalArgumentException("--interval " + interval));
        Duration length = Durations.parse(duration).orElseThrow(() -> new IllegalArgumentException("--duration " + duration));
        Duration limit = Durations.parse(timeout).orElseThrow(() -> new IllegalArgumentException("--timeout " + timeout));
        int base = 21_000;
        Process farm = ChildJvm.start(List.of("-Xmx512m"), TargetFarmMain.class, ADDRESS, Integer.toString(base), Integer.toString(ports));
        try {
            return run(out, every, length, limit, base);
        } finally {
            farm.destroyForcibly().waitFor();
        }
    }

    private int run(PrintWriter out, Duration every, Duration length, Duration limit, int base) throws Exception {
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));
        List<ProbeTarget> list = targets(every, limit, base);
        long fdBefore = openDescriptors();
        long measureFrom = clock.monotonicNanos() + WARM_UP.toNanos();
        // One lane per core: each lane is a scheduler with its own probers on its own event loop, and
        // its own tally (no lock shared between the loops: the bench must not stall what it measures).
        int lanes = Math.max(1, Runtime.getRuntime().availableProcessors());
        int lagCapacity = (int) Math.min(25_000_000L, (long) targets * (length.toSeconds() / Math.max(1, every.toSeconds()) + 2) / lanes + 1000);
        List<Context> contexts = new ArrayList<>();
        List<ProbeScheduler> schedulers = new ArrayList<>();
        List<Tally> tallies = new ArrayList<>();
        for (int l = 0; l < lanes; l++) {
            Tally tally = new Tally(lagCapacity, measureFrom);
            tallies.add(tally);
            List<ProbeTarget> mine = new ArrayList<>();
            for (int i = l; i < list.size(); i += lanes) {
                mine.add(list.get(i));
            }
            CountDownLatch up = new CountDownLatch(1);
            vertx.deployVerticle(new io.vertx.core.VerticleBase() {
                @Override
                public io.vertx.core.Future<?> start() {
                    contexts.add(context);
                    HttpProber http = new HttpProber(vertx, clock);
                    Map<CheckType, Prober> probers = Map.of(CheckType.HTTP, http, CheckType.TCP, new TcpProber(vertx, clock));
                    ProbeScheduler sched = new ProbeScheduler(vertx, clock, probers, r -> tally.result(r, clock.monotonicNanos()),
                            new Random(7), ProbeScheduler.DEFAULT_MAX_IN_FLIGHT, lag -> tally.lag(lag, clock.monotonicNanos()));
                    schedulers.add(sched);
                    sched.start(mine);
                    up.countDown();
                    return io.vertx.core.Future.succeededFuture();
                }
            });
            up.await();
        }
        out.printf("probe bench: %d HTTP targets%s every %s (timeout %s, %s) for %s, farm on %s:%d-%d%n", targets,
                hostile ? " (a quarter hostile)" : "", interval, timeout, keepAlive ? "keep-alive" : "fresh connection per probe",
                duration, ADDRESS, base, base + ports - 1);
        out.flush();
        long start = clock.monotonicNanos();
        long end = start + length.toNanos();
        Thread.sleep(Math.max(0, (measureFrom - clock.monotonicNanos()) / 1_000_000));
        long cpuAtWarm = cpuNanos();
        long nextReport = start + Duration.ofSeconds(30).toNanos();
        while (clock.monotonicNanos() < end) {
            Thread.sleep(200);
            if (clock.monotonicNanos() >= nextReport && clock.monotonicNanos() < end) {
                nextReport += Duration.ofSeconds(30).toNanos();
                report(out, "at " + (clock.monotonicNanos() - start) / 1_000_000_000 + "s", tallies,
                        clock.monotonicNanos() - measureFrom, cpuNanos() - cpuAtWarm, fdBefore, false);
            }
        }
        CountDownLatch stopped = new CountDownLatch(lanes);
        for (int l = 0; l < lanes; l++) {
            ProbeScheduler sched = schedulers.get(l);
            contexts.get(l).runOnContext(v -> {
                sched.stop();
                stopped.countDown();
            });
        }
        stopped.await();
        long cpuAtEnd = cpuNanos();
        tallies.forEach(Tally::close);
        Thread.sleep(limit.toMillis() + 500); // let the last probes finish or time out before counting descriptors
        report(out, "final (after " + WARM_UP.toSeconds() + " s warm-up)", tallies, length.minus(WARM_UP).toNanos(), cpuAtEnd - cpuAtWarm,
                fdBefore, true);
        Map<String, Long> byPath = new java.util.TreeMap<>();
        Map<FailureReason, Long> reasons = new EnumMap<>(FailureReason.class);
        for (Tally t : tallies) {
            t.byPath.forEach((k, v) -> byPath.merge(k, v, Long::sum));
            t.reasons.forEach((k, v) -> reasons.merge(k, v, Long::sum));
        }
        out.println("outcomes after warm-up, by path: " + byPath);
        out.println("outcomes after warm-up: " + reasons + ", skipped starts (previous still running): "
                + schedulers.stream().mapToLong(ProbeScheduler::skipped).sum() + ", lanes: " + lanes);
        out.flush();
        vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        return 0;
    }

    private List<ProbeTarget> targets(Duration every, Duration limit, int base) {
        List<ProbeTarget> list = new ArrayList<>();
        String[] hostilePaths = {"/hang", "/dribble", "/huge", "garbage", "refused"};
        for (int i = 0; i < targets; i++) {
            int port = base + i % ports;
            String path = i % 20 == 0 ? "/slow" : i % 20 == 1 ? "/fail" : "/ok";
            Optional<String> body = Optional.empty();
            if (hostile && i % 4 == 3) {
                path = hostilePaths[(i / 4) % hostilePaths.length];
                body = Optional.of("never");
                if (path.equals("garbage")) {
                    port = base - 1;
                    path = "/";
                } else if (path.equals("refused")) {
                    port = base + ports + 100;
                    path = "/";
                }
            }
            HealthCheckConfig plain = new HealthCheckConfig("bench", CheckType.HTTP, path, Optional.empty(), Set.of(200), body, false,
                    every, limit, 2, 2);
            var d = plain.options();
            HealthCheckConfig check = plain.withOptions(new io.meridian.config.ProbeOptions(d.method(), d.headers(), d.bodyRegex(),
                    d.maxBodyBytes(), d.followRedirects(), d.http2(), d.caFile(), d.send(), d.expect(), d.query(), d.queryType(),
                    d.expectRcode(), d.answerContains(), d.warnBefore(), d.failBefore(), keepAlive));
            list.add(new ProbeTarget("t" + i, "bench", ADDRESS, port, check));
        }
        return list;
    }

    /**
     * What one lane saw after the warm-up: touched only by its own event loop while it runs (read by
     * the reports without a lock: approximate while running, exact once the lane stopped counting).
     */
    private static final class Tally {
        final long[] lags;
        final long measureFrom;
        final Map<FailureReason, Long> reasons = new EnumMap<>(FailureReason.class);
        // By path and outcome, and for timeouts how far they got: an unexpected timeout says where it hung.
        final Map<String, Long> byPath = new java.util.HashMap<>();
        volatile int started;
        volatile long completed;
        volatile boolean closed;

        Tally(int capacity, long measureFrom) {
            this.lags = new long[capacity];
            this.measureFrom = measureFrom;
        }

        void lag(long lagNanos, long now) {
            if (now < measureFrom || closed) {
                return; // warm-up: JIT and the first connection storm
            }
            if (started < lags.length) {
                lags[started] = lagNanos;
            }
            started++;
        }

        void result(ProbeResult r, long now) {
            if (now < measureFrom || closed) {
                return; // warm-up: cold JITs on both sides time out a few of the first probes
            }
            completed++;
            reasons.merge(r.reason(), 1L, Long::sum);
            String reached = r.reason() == FailureReason.TIMEOUT && !r.phases().isEmpty()
                    ? "@" + r.phases().get(r.phases().size() - 1).name() : "";
            byPath.merge(r.target().check().path() + " " + r.reason().code() + reached, 1L, Long::sum);
        }

        void close() {
            closed = true;
        }
    }

    private void report(PrintWriter out, String when, List<Tally> tallies, long elapsedNanos, long cpu, long fdBefore, boolean gc) {
        double secs = elapsedNanos / 1e9;
        int started = tallies.stream().mapToInt(t -> t.started).sum();
        long completed = tallies.stream().mapToLong(t -> t.completed).sum();
        long[] sorted = tallies.stream().flatMapToLong(t -> Arrays.stream(t.lags, 0, Math.min(t.started, t.lags.length))).toArray();
        Arrays.sort(sorted);
        String lag = sorted.length == 0 ? "none" : String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6);
        if (gc) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        out.printf("%s: started %.0f/s, completed %.0f/s; start lag %s; CPU %.2f s per 1000 probes; heap %s%d MiB; fds %d -> %d%n",
                when, started / secs, completed / secs, lag, completed == 0 ? 0 : cpu / 1e9 / completed * 1000,
                gc ? "after GC " : "", (rt.totalMemory() - rt.freeMemory()) >> 20, fdBefore, openDescriptors());
        out.flush();
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long openDescriptors() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
