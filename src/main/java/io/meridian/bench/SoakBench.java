package io.meridian.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import io.meridian.clock.Clock;
import io.meridian.config.ConfigLoader;
import io.meridian.config.Durations;
import io.meridian.config.MeridianConfig;
import io.meridian.daemon.DaemonVerticle;
import io.meridian.coord.local.StateFiles;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A long run of the whole daemon in this process, to see that nothing grows: three regions of four
 * HTTP endpoints, a third of them failing in different ways (refused, hanging, answering 503,
 * flapping every 7 s), DNS queried over UDP at a steady rate, the API polled every second. Every
 * sample period it prints heap after a GC, open descriptors, threads and the journal's size, which
 * must stay flat (the journal grows by what was decided, the flapping endpoint's transitions).
 */
@Command(name = "soak", description = "Run the daemon for a long time with failing targets, DNS and API load; print heap, descriptors, threads and journal size.")
public final class SoakBench implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--duration", description = "default: 10m")
    String duration = "10m";

    @Option(names = "--sample", description = "sample period, default: 30s")
    String sample = "30s";

    @Option(names = "--qps", description = "DNS queries per second, default: 200")
    int qps = 200;

    private static final Clock CLOCK = Clock.system();

    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong badAnswers = new AtomicLong();
    private final AtomicLong apiErrors = new AtomicLong();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Duration total = Durations.parse(duration).orElseThrow(() -> new IllegalArgumentException("--duration " + duration + " is not a duration"));
        Duration every = Durations.parse(sample).orElseThrow(() -> new IllegalArgumentException("--sample " + sample + " is not a duration"));
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        Path dir = Files.createTempDirectory("meridian-soak");
        SoakTargets targets = new SoakTargets(vertx);
        MeridianConfig config = ConfigLoader.load(targets.writeConfig(dir));
        DaemonVerticle daemon = new DaemonVerticle(config, Clock.system(), r -> { });
        targets.start().compose(v -> vertx.deployVerticle(daemon)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> load = List.of(new Thread(() -> queryDns(daemon.dnsPort(), running), "soak-dns"),
                new Thread(() -> pollApi(daemon.apiPort(), running), "soak-api"));
        load.forEach(Thread::start);
        Path journal = dir.resolve("state").resolve(StateFiles.JOURNAL);
        out.printf("soak: %s, a sample every %s; 12 endpoints, 4 failing (refused, hang, 503, flapping every 7 s); DNS %d queries/s over UDP;"
                + " API polled every second%n", duration, sample, qps);
        out.printf("%8s %14s %6s %8s %14s %12s %10s %10s%n", "elapsed", "heap after GC", "fds", "threads", "journal bytes", "DNS answers",
                "bad DNS", "API errors");
        List<long[]> rows = new ArrayList<>();
        long start = CLOCK.monotonicNanos();
        try {
            for (long t = 0; t <= total.toSeconds(); t += every.toSeconds()) {
                long wait = start + TimeUnit.SECONDS.toNanos(t) - CLOCK.monotonicNanos();
                if (wait > 0) {
                    Thread.sleep(TimeUnit.NANOSECONDS.toMillis(wait));
                }
                long[] row = sampleNow(journal);
                rows.add(row);
                out.printf("%7ds %11.1f MiB %6d %8d %14d %12d %10d %10d%n", t, row[0] / 1048576.0, row[1], row[2], row[3],
                        answered.get(), badAnswers.get(), apiErrors.get());
                out.flush();
            }
        } finally {
            running.set(false);
            for (Thread th : load) {
                th.join(5000);
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
        long[] first = rows.get(Math.min(1, rows.size() - 1)); // after the first period: classes loaded, pools warm
        long[] last = rows.get(rows.size() - 1);
        out.printf("from the second sample to the last: heap %+.1f MiB, descriptors %+d, threads %+d, journal %+d bytes%n",
                (last[0] - first[0]) / 1048576.0, last[1] - first[1], last[2] - first[2], last[3] - first[3]);
        return 0;
    }

    /** Heap after a full GC, open descriptors, live threads, journal bytes. */
    private static long[] sampleNow(Path journal) throws Exception {
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long fds = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean u ? u.getOpenFileDescriptorCount() : -1;
        long threads = ManagementFactory.getThreadMXBean().getThreadCount();
        return new long[] {heap, fds, threads, Files.exists(journal) ? Files.size(journal) : 0};
    }

    /** UDP queries at a steady rate, alternating the two services; an answer without addresses is bad (fail-open still answers). */
    private void queryDns(int port, AtomicBoolean running) {
        String[] names = {"app.soak.test.", "www.soak.test."};
        long periodNanos = 1_000_000_000L / Math.max(1, qps);
        long next = CLOCK.monotonicNanos();
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(1000);
            byte[] buf = new byte[1500];
            for (int i = 0; running.get(); i++) {
                byte[] q = Message.newQuery(Record.newRecord(Name.fromString(names[i % 2]), Type.A, DClass.IN)).toWire();
                try {
                    s.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), port));
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    Message m = new Message(Arrays.copyOf(p.getData(), p.getLength()));
                    if (m.getRcode() == Rcode.NOERROR && !m.getSection(Section.ANSWER).isEmpty()) {
                        answered.incrementAndGet();
                    } else {
                        badAnswers.incrementAndGet();
                    }
                } catch (java.io.IOException lost) {
                    badAnswers.incrementAndGet();
                }
                next += periodNanos;
                long sleep = next - CLOCK.monotonicNanos();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
            }
        } catch (Exception e) {
            badAnswers.incrementAndGet();
        }
    }

    private void pollApi(int port, AtomicBoolean running) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        for (int i = 0; running.get(); i++) {
            String path = i % 5 == 0 ? "/metrics" : "/readyz";
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 200 && !(path.equals("/readyz") && status == 503)) {
                    apiErrors.incrementAndGet();
                }
                Thread.sleep(1000);
            } catch (Exception e) {
                apiErrors.incrementAndGet();
            }
        }
    }

    /** The endpoints: eight healthy, one refused, one hanging, one answering 503, one flapping. */
    static final class SoakTargets {

        private final Vertx vertx;
        private final List<Future<?>> servers = new ArrayList<>();
        private final StringBuilder[] regions = {new StringBuilder(), new StringBuilder(), new StringBuilder()};

        SoakTargets(Vertx vertx) {
            this.vertx = vertx;
        }

        Path writeConfig(Path dir) throws Exception {
            String[] kinds = {"ok", "ok", "ok", "refused", "ok", "ok", "hang", "503", "ok", "ok", "flap", "ok"};
            for (int i = 0; i < 12; i++) {
                int region = i / 4;
                String host = "127.0." + (region + 1) + "." + (i % 4 + 1);
                int port;
                try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getByName(host))) {
                    port = free.getLocalPort();
                }
                serve(kinds[i], host, port);
                regions[region].append("  - {address: ").append(host).append(", port: ").append(port).append(", check: web}\n");
            }
            String[] names = {"us-east", "eu-west", "ap-south"};
            Files.createDirectories(dir.resolve("regions"));
            Files.createDirectories(dir.resolve("healthchecks"));
            for (int r = 0; r < 3; r++) {
                Files.writeString(dir.resolve("regions/" + names[r] + ".yaml"), "name: " + names[r] + "\npriority: " + (r + 1)
                        + "\nweight: " + (50 - 10 * r) + "\nendpoints:\n" + regions[r]);
            }
            Files.writeString(dir.resolve("healthchecks/web.yaml"), "type: http\npath: /\ninterval: 1s\ntimeout: 500ms\nrise: 2\nfall: 2\n");
            Files.writeString(dir.resolve("meridian.yaml"), """
                    vantage: us-east
                    api: {listen: "127.0.0.1:0", state-dir: state}
                    dns: {zone: soak.test, listen: "127.0.0.1:0"}
                    services:
                      - {name: app.soak.test, policy: failover, ttl: 5s, regions: [us-east, eu-west, ap-south]}
                      - {name: www.soak.test, policy: weighted, ttl: 5s, regions: [us-east, eu-west, ap-south]}
                    health: {min-hold: 0s}
                    automation: {failback: 0s, cooldown: 0s, max-failovers: 1000}
                    """);
            Files.createDirectories(dir.resolve("state"));
            return dir;
        }

        private void serve(String kind, String host, int port) {
            switch (kind) {
                case "refused" -> { } // nothing listens
                case "hang" -> servers.add(vertx.createNetServer().connectHandler(socket -> { }).listen(port, host));
                default -> servers.add(vertx.createHttpServer().requestHandler(req -> {
                    boolean down = kind.equals("503") || kind.equals("flap") && (CLOCK.monotonicNanos() / 7_000_000_000L) % 2 == 1;
                    req.response().setStatusCode(down ? 503 : 200).end(down ? "down" : "ok");
                }).listen(port, host));
            }
        }

        Future<Void> start() {
            return Future.all(new ArrayList<>(servers)).mapEmpty();
        }
    }
}
