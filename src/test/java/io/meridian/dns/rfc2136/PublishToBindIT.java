package io.meridian.dns.rfc2136;

import io.meridian.testing.BindServer;
import io.meridian.testing.RunningDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The daemon publishing its decisions to a real BIND primary as well as its embedded server. */
class PublishToBindIT {

    @TempDir
    Path config;

    @TempDir
    Path bindDir;

    @Test
    void aFailoverReachesBind() throws Exception {
        try (BindServer bind = BindServer.start(bindDir, "example.test")) {
            RunningDaemon.start(config).close(); // writes the test configuration
            Path yaml = config.resolve("meridian.yaml");
            Files.writeString(yaml, Files.readString(yaml).replace("dns:\n  zone: example.test\n",
                    "dns:\n  zone: example.test\n  rfc2136: {server: \"127.0.0.1:" + bind.port() + "\", key-file: \"" + bind.keyFile() + "\"}\n"));
            assertThat(Files.readString(yaml)).contains("rfc2136");
            try (RunningDaemon d = RunningDaemon.start(config)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> a(bind).equals(List.of("127.0.1.1", "127.0.1.2")));
                d.call("POST", "/demo/regions/us-east/fail", null, null);
                await().atMost(Duration.ofSeconds(5)).until(() -> a(bind).equals(List.of("127.0.2.1", "127.0.2.2")));
                assertThat(d.answer("app.example.test", false)).as("the embedded server agrees").containsExactly("127.0.2.1", "127.0.2.2");
            }
        }
    }

    @Test
    void recordsEditedByHandAreRepairedOrReported() throws Exception {
        for (String mode : List.of("repair", "observe")) {
            Path conf = Files.createDirectories(config.resolve(mode));
            Path bindHome = Files.createDirectories(bindDir.resolve(mode));
            try (BindServer bind = BindServer.start(bindHome, "example.test")) {
                RunningDaemon.start(conf).close();
                Path yaml = conf.resolve("meridian.yaml");
                Files.writeString(yaml, Files.readString(yaml).replace("dns:\n  zone: example.test\n",
                        "dns:\n  zone: example.test\n  rfc2136: {server: \"127.0.0.1:" + bind.port() + "\", key-file: \""
                                + bind.keyFile() + "\", reconcile: 1s, mode: " + mode + "}\n"));
                try (RunningDaemon d = RunningDaemon.start(conf)) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> a(bind).equals(List.of("127.0.1.1", "127.0.1.2")));
                    handEdit(bind, "10.6.6.6");
                    assertThat(a(bind)).containsExactly("10.6.6.6");
                    await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(conf.resolve(io.meridian.coord.local.StateFiles.JOURNAL))
                            .contains("\"kind\":\"DRIFT\""));
                    if (mode.equals("repair")) {
                        await().atMost(Duration.ofSeconds(5)).until(() -> a(bind).equals(List.of("127.0.1.1", "127.0.1.2")));
                    } else {
                        assertThat(a(bind)).as("observe mode reports and leaves it").containsExactly("10.6.6.6");
                    }
                    assertThat(d.call("GET", "/metrics", null, null).body())
                            .contains("meridian_dns_drift_total{action=\"" + (mode.equals("repair") ? "repaired" : "reported") + "\"");
                }
            }
        }
    }

    /** What an operator with the key might do by hand: replace the A records of the service. */
    private static void handEdit(BindServer bind, String address) throws Exception {
        org.xbill.DNS.Update u = new org.xbill.DNS.Update(Name.fromString("example.test."));
        Name app = Name.fromString("app.example.test.");
        u.delete(app, Type.A);
        u.add(new org.xbill.DNS.ARecord(app, DClass.IN, 30, InetAddress.getByName(address)));
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(bind.port());
        r.setTSIGKey(new org.xbill.DNS.TSIG(org.xbill.DNS.TSIG.HMAC_SHA256, BindServer.KEY_NAME + ".", bind.secret()));
        assertThat(r.send(u).getRcode()).isZero();
    }

    @Test
    void aProviderThatIsDownQueuesChangesAndSaysSo() throws Exception {
        Path key = bindDir.resolve("dead.key");
        Files.writeString(key, "key \"k\" { algorithm hmac-sha256; secret \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"; };\n");
        RunningDaemon.start(config).close();
        Path yaml = config.resolve("meridian.yaml");
        int nobody = RunningDaemon.freePort("127.0.0.1");
        Files.writeString(yaml, Files.readString(yaml).replace("dns:\n  zone: example.test\n",
                "dns:\n  zone: example.test\n  rfc2136: {server: \"127.0.0.1:" + nobody + "\", key-file: \"" + key + "\"}\n"));
        try (RunningDaemon d = RunningDaemon.start(config)) {
            await().atMost(Duration.ofSeconds(10)).until(() -> d.call("GET", "/readyz", null, null).body().contains("DNS provider embedded+rfc2136"));
            assertThat(d.call("GET", "/readyz", null, null).statusCode()).isEqualTo(503);
            assertThat(d.call("GET", "/metrics", null, null).body())
                    .contains("meridian_dns_provider_up{provider=\"embedded+rfc2136\"} 0.0");
        }
    }

    private static List<String> a(BindServer bind) throws Exception {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(bind.port());
        Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString("app.example.test."), Type.A, DClass.IN)));
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
    }
}
