package io.meridian.bench;

import io.meridian.api.Authenticator;
import io.meridian.clock.Clock;
import io.meridian.demo.LocalEtcd;
import io.meridian.demo.LoopbackPort;
import io.vertx.core.json.JsonObject;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Three daemons (each a process of its own) on a three-member etcd on this machine. Measures: a
 * backend killed until it is gone from all three daemons' DNS answers (same check settings as
 * {@code bench failover}, a 2-of-3 quorum); the leader killed ({@code kill -9}) until another acts;
 * and the etcd traffic of the vantage reports in steady state with 1,000 and 10,000 targets per daemon.
 */
@Command(name = "cluster", description = "Measure three coordinated daemons: detection through the quorum, leader loss, etcd traffic.")
public final class ClusterBench implements Callable<Integer> {

    private static final String NAME = "app.bench.meridian.test";
    private static final String PRIMARY = "127.0.1.1";
    private static final String TOKEN = "bench-viewer-token";
    private static final List<String> VANTAGES = List.of("v1", "v2", "v3");

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", description = "faults of each kind, default: 5")
    int rounds = 5;

    @Option(names = "--lease-ttl", description = "default: 3s")
    String leaseTtl = "3s";

    @Option(names = "--grace", description = "default: 1s")
    String grace = "1s";

    @Option(names = "--reassert", description = "report period, default: 2s")
    String reassert = "2s";

    @Option(names = "--traffic-targets", split = ",", description = "targets per daemon for the traffic runs, default: 1000,10000")
    List<Integer> trafficTargets = List.of(1000, 10_000);

    @Option(names = "--traffic-seconds", description = "length of each traffic measurement, default: 30")
    int trafficSeconds = 30;

    @Option(names = "--no-faults", negatable = true, description = "run the backend and leader faults (default: true)")
    boolean faults = true;

    private final Clock clock = Clock.system();
    private final Random random = new Random();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final List<Process> helpers = new ArrayList<>();
    private final Process[] daemons = new Process[3];
    private final int[] apiPorts = new int[3];
    private final int[] dnsPorts = new int[3];
    private Path root;
    private LocalEtcd etcd;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        root = Files.createTempDirectory("meridian-bench-cluster");
        etcd = LocalEtcd.start(3);
        try {
            int port = LoopbackPort.free(PRIMARY);
            List<Process> backends = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                backends.add(helper(BackendMain.class, "127.0." + i + ".1", Integer.toString(port)));
            }
            if (!faults) {
                backends.forEach(Process::destroyForcibly);
                for (int n : trafficTargets) {
                    traffic(n, out);
                }
                return 0;
            }
            writeConfigs(regions(port), "interval: 500ms\ntimeout: 200ms\nrecheck: 50ms\nrise: 2\nfall: 5\n", "http");
            startDaemons();
            out.printf("cluster bench: 3 daemons, 3 etcd members on this machine; lease %s, grace %s, reports every %s; "
                    + "check http every 500ms (timeout 200ms, recheck 50ms), rise 2, fall 5, quorum 2 of 3%n", leaseTtl, grace, reassert);
            out.flush();
            await(() -> allAnswer(true), Duration.ofSeconds(60));
            double[] gone = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                Thread.sleep(random.nextInt(501));
                long t0 = clock.monotonicNanos();
                backends.get(0).destroyForcibly().waitFor();
                gone[i] = await(() -> allAnswer(false), Duration.ofSeconds(30)) - t0;
                System.err.printf("backend kill #%d: gone from all three answers after %.0f ms%n", i + 1, gone[i] / 1e6);
                backends.set(0, helper(BackendMain.class, PRIMARY, Integer.toString(port)));
                await(() -> allAnswer(true), Duration.ofSeconds(30));
            }
            out.printf("backend killed -> gone from all 3 daemons' answers: %s (target: median < 1500 ms)%n", stats(gone));
            out.flush();
            double[] lead = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                int leader = awaitLeader(-1);
                Thread.sleep(random.nextInt(1001));
                long t0 = clock.monotonicNanos();
                daemons[leader].destroyForcibly().waitFor();
                awaitLeader(leader);
                lead[i] = clock.monotonicNanos() - t0;
                System.err.printf("leader kill #%d: v%d killed, another acts after %.0f ms%n", i + 1, leader + 1, lead[i] / 1e6);
                daemons[leader] = daemon(leader);
                await(() -> allAnswer(true), Duration.ofSeconds(60));
            }
            out.printf("leader killed (kill -9) -> another acts: %s (target: < lease-ttl + grace + 1 s = %d ms)%n", stats(lead),
                    Duration.parse("PT" + leaseTtl.toUpperCase()).plus(Duration.parse("PT" + grace.toUpperCase())).toMillis() + 1000);
            out.flush();
            stopDaemons();
            backends.forEach(Process::destroyForcibly);
            for (int n : trafficTargets) {
                traffic(n, out);
            }
            return 0;
        } finally {
            stopDaemons();
            helpers.forEach(Process::destroyForcibly);
            etcd.close();
        }
    }

    /** Steady state with {@code n} TCP targets per daemon (a farm on 127.0.9.1): report writes and bytes per daemon. */
    private void traffic(int n, PrintWriter out) throws Exception {
        int base = 20_000; // below the ephemeral range (32768-60999), which the probes' own sockets use
        Process farm = helper(TargetFarmMain.class, "127.0.9.1", Integer.toString(base), Integer.toString(n));
        // Regions of at most 1,000 endpoints: a region file stays well under the loader's 256 KiB bound.
        List<String> regions = new ArrayList<>();
        for (int r = 0; r * 1000 < n; r++) {
            StringBuilder region = new StringBuilder("name: r" + r + "\npriority: " + (r + 1) + "\nendpoints:\n");
            for (int i = r * 1000; i < Math.min(n, (r + 1) * 1000); i++) {
                region.append("  - {address: 127.0.9.1, port: ").append(base + i).append(", check: web}\n");
            }
            regions.add(region.toString());
        }
        writeConfigs(regions, "interval: 10s\ntimeout: 2s\nrise: 2\nfall: 2\n", "tcp");
        startDaemons();
        await(() -> VANTAGES.stream().allMatch(v -> status(VANTAGES.indexOf(v), "/readyz").map(r -> r.startsWith("200")).orElse(false)),
                Duration.ofSeconds(120));
        // Every target UP (rise 2 x 10 s) and no state change left from the start: the steady state.
        Thread.sleep(25_000);
        long[] before = new long[6];
        for (int i = 0; i < 3; i++) {
            long[] t = reportTraffic(i);
            before[i * 2] = t[0];
            before[i * 2 + 1] = t[1];
        }
        long t0 = clock.monotonicNanos();
        Thread.sleep(trafficSeconds * 1000L);
        double seconds = (clock.monotonicNanos() - t0) / 1e9;
        double writes = 0;
        double bytes = 0;
        for (int i = 0; i < 3; i++) {
            long[] t = reportTraffic(i);
            writes += (t[0] - before[i * 2]) / seconds;
            bytes += (t[1] - before[i * 2 + 1]) / seconds;
        }
        out.printf("etcd traffic, %,d targets per daemon (probed every 10 s), steady state over %.0f s: %.2f report writes/s and %,.0f bytes/s "
                + "per daemon (reports every %s)%n", n, seconds, writes / 3, bytes / 3, reassert);
        out.flush();
        stopDaemons();
        farm.destroyForcibly().waitFor();
    }

    private long[] reportTraffic(int i) {
        String metrics = status(i, "/metrics").orElse("");
        return new long[] {(long) metric(metrics, "meridian_coord_reports_written_total"), (long) metric(metrics, "meridian_coord_report_bytes_total")};
    }

    private static double metric(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private List<String> regions(int port) {
        List<String> out = new ArrayList<>();
        String[] names = {"one", "two", "three"};
        for (int i = 0; i < 3; i++) {
            out.add("name: %s\npriority: %d\nendpoints:\n  - {address: 127.0.%d.1, port: %d, check: web}\n".formatted(names[i], i + 1, i + 1, port));
        }
        return out;
    }

    private void writeConfigs(List<String> regions, String check, String type) throws IOException {
        String hash = HexFormat.of().formatHex(Authenticator.sha256(TOKEN));
        List<String> names = regions.stream().map(r -> r.substring(6, r.indexOf('\n'))).toList();
        for (int i = 0; i < 3; i++) {
            Path d = root.resolve(VANTAGES.get(i));
            Files.createDirectories(d.resolve("regions"));
            Files.createDirectories(d.resolve("healthchecks"));
            try (var old = Files.list(d.resolve("regions"))) {
                for (Path p : old.toList()) {
                    Files.delete(p);
                }
            }
            for (int r = 0; r < regions.size(); r++) {
                Files.writeString(d.resolve("regions/" + names.get(r) + ".yaml"), regions.get(r));
            }
            Files.writeString(d.resolve("healthchecks/web.yaml"), "type: " + type + "\n" + (type.equals("http") ? "path: /\nexpect-status: [200]\n" : "") + check);
            Files.writeString(d.resolve("tokens.yaml"), "tokens:\n  - {name: bench, role: viewer, sha256: " + hash + "}\n");
            apiPorts[i] = LoopbackPort.free("127.0.0.1");
            dnsPorts[i] = LoopbackPort.free("127.0.0.1");
            Files.writeString(d.resolve("meridian.yaml"), """
                    vantage: %s
                    api: {listen: "127.0.0.1:%d", tokens: tokens.yaml}
                    dns: {zone: bench.meridian.test, listen: "127.0.0.1:%d"}
                    health: {vantages: [v1, v2, v3], quorum: majority, staleness: 10s, min-hold: 0s}
                    automation: {max-failovers: 1000, cooldown: 0s, failback: 0s}
                    services:
                      - {name: %s, policy: failover, ttl: 1s, regions: [%s]}
                    coordination:
                      type: etcd
                      endpoints: [%s]
                      prefix: /meridian/bench/
                      lease-ttl: %s
                      grace: %s
                      reassert: %s
                    """.formatted(VANTAGES.get(i), apiPorts[i], dnsPorts[i], NAME, String.join(", ", names),
                    String.join(", ", etcd.endpoints()), leaseTtl, grace, reassert));
        }
    }

    private void startDaemons() throws Exception {
        for (int i = 0; i < 3; i++) {
            daemons[i] = daemon(i);
        }
        awaitLeader(-1);
    }

    private Process daemon(int i) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "io.meridian.cli.Main", "run", "--config-dir", root.resolve(VANTAGES.get(i)).toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(root.resolve(VANTAGES.get(i) + ".log").toFile())).start();
        await(() -> status(i, "/healthz").isPresent(), Duration.ofSeconds(60));
        return p;
    }

    private void stopDaemons() throws InterruptedException {
        for (Process p : daemons) {
            if (p != null && p.isAlive()) {
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    /** The daemon (other than {@code not}) that says it acts; waits for one. */
    private int awaitLeader(int not) throws Exception {
        int[] found = {-1};
        await(() -> {
            for (int i = 0; i < 3; i++) {
                if (i != not && status(i, "/v1/status").map(b -> b.startsWith("200") && new JsonObject(b.substring(4))
                        .getJsonObject("coordination").getBoolean("acting")).orElse(false)) {
                    found[0] = i;
                    return true;
                }
            }
            return false;
        }, Duration.ofSeconds(60));
        return found[0];
    }

    /** "STATUS BODY" of a GET to daemon {@code i}, or empty when it does not answer. */
    private Optional<String> status(int i, String path) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPorts[i] + path))
                    .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
            return Optional.of(r.statusCode() + " " + r.body());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private boolean allAnswer(boolean present) throws Exception {
        for (int i = 0; i < 3; i++) {
            if (daemons[i] == null || !daemons[i].isAlive()) {
                continue;
            }
            org.xbill.DNS.SimpleResolver r = new org.xbill.DNS.SimpleResolver("127.0.0.1");
            r.setPort(dnsPorts[i]);
            r.setTimeout(Duration.ofMillis(500));
            org.xbill.DNS.Message m = r.send(org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                    org.xbill.DNS.Name.fromString(NAME + "."), org.xbill.DNS.Type.A, org.xbill.DNS.DClass.IN)));
            boolean has = m.getSection(org.xbill.DNS.Section.ANSWER).stream().anyMatch(x -> x.rdataToString().equals(PRIMARY));
            if (has != present) {
                return false;
            }
        }
        return true;
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    /** Polls every 5 ms; returns the monotonic time the condition held. */
    private long await(Check c, Duration limit) throws Exception {
        long deadline = clock.monotonicNanos() + limit.toNanos();
        while (clock.monotonicNanos() < deadline) {
            try {
                if (c.ok()) {
                    return clock.monotonicNanos();
                }
            } catch (IOException notYet) {
                // not answering yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("not reached within " + limit + " (logs in " + root + ")");
    }

    private Process helper(Class<?> main, String... args) throws IOException {
        Process p = ChildJvm.start(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), main, args);
        helpers.add(p);
        return p;
    }

    private static String stats(double[] nanos) {
        double[] ms = Arrays.stream(nanos).map(n -> n / 1e6).sorted().toArray();
        return String.format("min %4.0f ms, median %4.0f ms, max %4.0f ms (%d)", ms[0], ms[ms.length / 2], ms[ms.length - 1], ms.length);
    }
}
