package io.meridian.bench;

import io.meridian.clock.Clock;
import io.meridian.config.ApiConfig;
import io.meridian.config.ConfigLoader;
import io.meridian.config.DnsConfig;
import io.meridian.config.HostPort;
import io.meridian.config.MeridianConfig;
import io.meridian.config.RegionConfig;
import io.meridian.daemon.DaemonVerticle;
import io.meridian.demo.DemoBackends;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Queries/s of the embedded server under {@code dnsperf} (Debian package {@code dnsperf}), on the
 * demo configuration with its backends, on loopback, dnsperf sharing the cores. Pass 1 measures
 * throughput and average latency (as {@code shared/bench/peers} does for gdnsd and PowerDNS) and,
 * halfway, fails the first region to check that answers still follow health; pass 2 runs dnsperf
 * verbose at a fixed rate (100,000 queries/s) to get the latency distribution (p50/p99). Prints the
 * daemon's RSS.
 */
@Command(name = "dns", description = "Measure the embedded DNS server with dnsperf: queries/s, latency, RSS, answers following health.")
public final class DnsBench implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config-dir", description = "default: .")
    Path configDir = Path.of(".");

    @Option(names = "--seconds", description = "length of the throughput pass, default: 20")
    int seconds = 20;

    @Option(names = "--dnsperf-args", description = "default: -c 10 -T 2")
    String dnsperfArgs = "-c 10 -T 2";

    @Option(names = "--latency-qps", description = "fixed rate of the latency pass, default: 100000")
    int latencyQps = 100_000;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try {
            new ProcessBuilder("dnsperf", "-h").redirectErrorStream(true).start().waitFor();
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("bench dns needs dnsperf: apt-get install dnsperf");
            return 1;
        }
        MeridianConfig base = ConfigLoader.load(configDir);
        DnsConfig dns = base.dns();
        MeridianConfig config = new MeridianConfig(base.vantage(), new ApiConfig(new HostPort("127.0.0.1", 0))
                .withStateDir(Files.createTempDirectory("meridian-bench-dns")),
                new DnsConfig(dns.zone(), new HostPort("127.0.0.1", 0), dns.soa()), base.services(), base.regions(), base.checks(),
                base.health(), base.automation(), base.clients());
        String name = config.services().get(0).name();
        RegionConfig first = config.regions().stream().min((a, b) -> Integer.compare(a.priority(), b.priority())).orElseThrow();
        Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true));
        DemoBackends backends = new DemoBackends(vertx, config);
        DaemonVerticle daemon = new DaemonVerticle(config, Clock.system(), r -> { });
        backends.startAll().compose(v -> vertx.deployVerticle(daemon)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        try {
            DnsClient client = vertx.createDnsClient(new DnsClientOptions().setHost("127.0.0.1").setPort(daemon.dnsPort()).setQueryTimeout(1000));
            Clock clock = Clock.system();
            long deadline = clock.monotonicNanos() + Duration.ofSeconds(15).toNanos();
            while (!answersOnly(client, name, addressesOf(first)) && clock.monotonicNanos() < deadline) {
                Thread.sleep(100);
            }
            Path queries = Files.createTempFile("meridian-dnsperf", ".txt");
            Files.writeString(queries, name + " A\n");
            out.printf("dns bench: dnsperf %s -l %d against the embedded server on 127.0.0.1:%d, qname %s (policy %s), sharing %d cores%n",
                    dnsperfArgs, seconds, daemon.dnsPort(), name, config.services().get(0).policy().yamlName(),
                    Runtime.getRuntime().availableProcessors());
            out.flush();
            List<String> cmd = new ArrayList<>(List.of("dnsperf", "-s", "127.0.0.1", "-p", Integer.toString(daemon.dnsPort()),
                    "-d", queries.toString(), "-l", Integer.toString(seconds)));
            cmd.addAll(List.of(dnsperfArgs.trim().split("\\s+")));
            Process perf = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            // Halfway through, the first region fails: the answer must follow while dnsperf hammers the server.
            Thread.sleep(seconds * 500L);
            backends.fail(first).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            long failedAt = clock.monotonicNanos();
            while (resolve(client, name).stream().anyMatch(a -> addressesOf(first).contains(a))
                    && clock.monotonicNanos() - failedAt < Duration.ofSeconds(10).toNanos()) {
                Thread.sleep(10);
            }
            double followMs = (clock.monotonicNanos() - failedAt) / 1e6;
            String result = new String(perf.getInputStream().readAllBytes());
            perf.waitFor();
            for (String line : result.lines().toList()) {
                if (line.contains("Queries per second") || line.contains("Average Latency") || line.contains("Queries lost")
                        || line.contains("Queries completed")) {
                    out.println("  " + line.trim());
                }
            }
            long interval = config.checks().stream().mapToLong(c -> c.interval().toMillis() * c.fall()).max().orElse(0);
            out.printf("  answer left %s %.0f ms after its backends stopped, under load (interval x fall = %d ms)%n",
                    first.name(), followMs, interval);
            backends.start(first).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            out.println("  " + latencyPass(daemon.dnsPort(), queries));
            out.println("  daemon " + rss());
            out.flush();
            return 0;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        }
    }

    /** dnsperf -v for 10 s at a fixed rate: every answer's latency, into 10-microsecond buckets. */
    private String latencyPass(int port, Path queries) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("dnsperf", "-v", "-s", "127.0.0.1", "-p", Integer.toString(port), "-d", queries.toString(),
                "-l", "10", "-Q", Integer.toString(latencyQps)));
        cmd.addAll(List.of(dnsperfArgs.trim().split("\\s+")));
        Process perf = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long[] buckets = new long[10_001];
        long n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(perf.getInputStream()))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.startsWith("> ")) {
                    continue;
                }
                int sp = line.lastIndexOf(' ');
                double secs = Double.parseDouble(line.substring(sp + 1));
                buckets[(int) Math.min(10_000, secs * 100_000)]++;
                n++;
            }
        }
        perf.waitFor();
        return String.format("latency at %d queries/s (dnsperf -v -Q %d, 10 s, %d answers): p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms",
                n / 10, latencyQps, n, quantile(buckets, n, 0.5), quantile(buckets, n, 0.99), quantile(buckets, n, 0.999));
    }

    private static double quantile(long[] buckets, long n, double q) {
        long target = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= target) {
                return (i + 1) / 100.0;
            }
        }
        return Double.NaN;
    }

    /** Whether {@code name} answers {@code addresses} alone yet; before the first decision the server answers SERVFAIL. */
    private static boolean answersOnly(DnsClient client, String name, List<String> addresses) throws InterruptedException {
        try {
            List<String> got = resolve(client, name);
            return !got.isEmpty() && addresses.containsAll(got);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException notYet) {
            return false;
        }
    }

    private static List<String> resolve(DnsClient client, String name)
            throws InterruptedException, java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        return client.resolveA(name).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static List<String> addressesOf(RegionConfig r) {
        return r.endpoints().stream().map(e -> e.address()).toList();
    }

    private static String rss() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS") || l.startsWith("VmHWM"))
                .map(l -> l.replaceAll("\\s+", " ")).reduce((a, b) -> a + ", " + b).orElse("rss unknown");
    }
}
