package io.meridian.daemon;

import io.meridian.testing.ConfigDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Ephemeral ports exhausted, for real: the daemon and two backends in a network namespace of this
 * test's own ({@code unshare -n}, so its port range can be made small without touching the host's),
 * then a hog that holds every local port towards both backends. Every probe then fails with
 * EADDRNOTAVAIL: that is this host's failure, not the targets', so the vantage is impaired, no target
 * goes down and the answer stays; when the ports come back, the vantage counts again.
 */
class PortExhaustionIT {

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private long namespace;

    @AfterEach
    void stop() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (Files.exists(dir.resolve("daemon.log"))) {
            Files.copy(dir.resolve("daemon.log"), Path.of("target/port-exhaustion-daemon.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Runs {@code command} in the namespace; returns its process (output to {@code log} if given). */
    private Process in(Path log, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(namespace), "-n"));
        cmd.addAll(List.of(command));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (log != null) {
            b.redirectOutput(log.toFile());
        }
        Process p = b.start();
        processes.add(p);
        return p;
    }

    private String run(String... command) throws Exception {
        Process p = in(null, command);
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private String answer(int dnsPort) throws Exception {
        return run("dig", "+short", "+time=1", "+tries=1", "@127.0.0.1", "-p", String.valueOf(dnsPort), "app.example.test", "A");
    }

    @Test
    void probesThatCannotGetALocalPortImpairTheVantageAndMoveNothing() throws Exception {
        Process ns;
        try {
            ns = new ProcessBuilder("unshare", "-n", "sleep", "300").start();
        } catch (java.io.IOException noUnshare) {
            assumeTrue(false, "unshare is not available");
            return;
        }
        processes.add(ns);
        assumeTrue(!ns.waitFor(300, TimeUnit.MILLISECONDS), "unshare -n needs root here");
        namespace = ns.pid();
        assertThat(run("ip", "link", "set", "lo", "up")).isEmpty();
        run("sysctl", "-qw", "net.ipv4.ip_local_port_range=40000 40099");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = Path.of("target/meridian.jar").toAbsolutePath().toString();
        for (String host : List.of("127.0.1.1", "127.0.2.1")) {
            Process backend = in(null, java, "-Xmx64m", "-cp", jar, "io.meridian.bench.BackendMain", host, "8081");
            BufferedReader out = new BufferedReader(new InputStreamReader(backend.getInputStream()));
            String line = out.readLine();
            while (line != null && !line.startsWith("listening")) {
                line = out.readLine(); // Netty's note that a namespace with only lo has no hardware address
            }
            assertThat(line).as("backend on " + host).startsWith("listening");
        }
        String region = "name: %s\npriority: %d\nendpoints:\n  - {address: %s, port: 8081, check: web}\n";
        ConfigDir.base()
                .with("meridian.yaml", """
                        vantage: us-east
                        api: {listen: "127.0.0.1:18080"}
                        dns: {zone: example.test, listen: "127.0.0.1:15353"}
                        services:
                          - {name: app.example.test, policy: failover, ttl: 5s, regions: [us-east, eu-west]}
                        health: {min-hold: 0s}
                        automation: {failback: 0s}
                        """)
                .with("regions/us-east.yaml", region.formatted("us-east", 1, "127.0.1.1"))
                .with("regions/eu-west.yaml", region.formatted("eu-west", 2, "127.0.2.1"))
                .with("healthchecks/web.yaml", "type: http\npath: /\nbody-contains: hello\ninterval: 500ms\ntimeout: 300ms\nrise: 2\nfall: 2\n")
                .writeTo(dir);
        Path log = dir.resolve("daemon.log");
        in(log, java, "-Xmx256m", "-jar", jar, "run", "--config-dir", dir.toString());
        await().atMost(Duration.ofSeconds(30)).until(() -> answer(15353).equals("127.0.1.1"));
        int before = Files.readString(log).length();

        // Hold every local port towards both backends; the hog says how many it got.
        Process hog = in(null, "bash", "-c", "n=0; for h in 127.0.1.1 127.0.2.1; do while exec {fd}<>/dev/tcp/$h/8081; do n=$((n+1)); done;"
                + " done 2>/dev/null; echo \"held $n\"; sleep 300");
        String held = new BufferedReader(new InputStreamReader(hog.getInputStream())).readLine();
        // 100 ports towards each backend, less the few the probes hold at that moment.
        assertThat(held).as("the hog took the ports towards both backends").startsWith("held ");
        assertThat(Integer.parseInt(held.substring(5))).isBetween(180, 200);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).substring(before).contains("VANTAGE_IMPAIRED"));
        for (int i = 0; i < 6; i++) {
            assertThat(answer(15353)).as("the answer while no port is left").isEqualTo("127.0.1.1");
            Thread.sleep(500);
        }
        String during = Files.readString(log).substring(before);
        assertThat(during).contains("Cannot assign requested address").doesNotContain("-> DOWN", "FAILOVER", "FAIL_OPEN", "\tat ");

        hog.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).substring(before).contains("VANTAGE_RECOVERED"));
        assertThat(answer(15353)).isEqualTo("127.0.1.1");
        assertThat(Files.readString(log).substring(before)).doesNotContain("-> DOWN", "FAILOVER");
    }
}
