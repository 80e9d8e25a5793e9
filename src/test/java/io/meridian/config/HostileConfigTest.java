package io.meridian.config;

import io.meridian.testing.ConfigDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Configuration written to break the loader: every case is a problem with file:line:col, never an exception or a stall. */
class HostileConfigTest {

    @TempDir
    Path dir;

    private static final String DAEMON = """
            vantage: us-east
            api: {tokens: %s, state-dir: %s}
            dns: {zone: example.test}
            services:
              - {name: app.example.test, policy: failover, regions: [us-east]}
            """;

    private List<String> problems(Path written) {
        try {
            ConfigLoader.load(written);
            return List.of();
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
    }

    @Test
    void aNulInAPathIsAProblemNotACrash() {
        assertThat(problems(ConfigDir.base().with("meridian.yaml", DAEMON.formatted("\"tok\\0ens.yaml\"", "\"st\\0ate\"")).writeTo(dir)))
                .containsExactly("meridian.yaml:2:15: api.tokens was 'tok\\u0000ens.yaml' but must be a file path",
                        "meridian.yaml:2:43: api.state-dir was 'st\\u0000ate' but must be a file path");
    }

    @Test
    void aFileLargerThanTheBoundIsRefusedUnread() throws Exception {
        Path written = ConfigDir.base().writeTo(dir);
        Files.writeString(written.resolve("regions/us-east.yaml"), "name: us-east\npriority: 1\nnote: " + "x".repeat(8 * 1024 * 1024) + "\n");
        assertThat(problems(written)).contains("regions/us-east.yaml:1:1: file is 8388641 bytes but must be at most 262144"
                + " (a configuration file this large is a mistake)");
    }

    @Test
    void valuesAreQuotedShortAndControlCharactersEscaped() throws Exception {
        Path written = ConfigDir.base().writeTo(dir);
        Files.writeString(written.resolve("regions/us-east.yaml"), "name: us-east\npriority: \"" + "9".repeat(5000) + "\"\n"
                + "endpoints: [{address: 127.0.1.1, port: 8081, check: web}]\n");
        assertThat(problems(written)).singleElement().satisfies(p -> {
            assertThat(p).startsWith("regions/us-east.yaml:2:11: priority was '" + "9".repeat(60) + "... (5000 characters)'");
            assertThat(p.length()).isLessThan(200);
        });
    }

    @Test
    void invalidUtf8IsReportedWhereTheBadByteIs() throws Exception {
        Path written = ConfigDir.base().writeTo(dir);
        byte[] head = "name: us-east\npriority: 1\n# caf\u00e9 ok\nnote: ab".getBytes(StandardCharsets.UTF_8);
        byte[] bad = new byte[head.length + 2];
        System.arraycopy(head, 0, bad, 0, head.length);
        bad[head.length] = (byte) 0xC3; // a lead byte followed by something that does not continue it
        bad[head.length + 1] = '\n';
        Files.write(written.resolve("regions/us-east.yaml"), bad);
        assertThat(problems(written)).containsExactly("regions/us-east.yaml:4:9: byte 0xC3 is not valid UTF-8 here");
    }

    @Test
    void addressesAreLiteralsOnlyAndPortsAsciiDigits() throws Exception {
        Path written = ConfigDir.base().with("regions/us-east.yaml", """
                name: us-east
                priority: 1
                endpoints:
                  - {address: "x::1", port: 8080, check: web}
                  - {address: 127.0.1.1, port: "８０", check: web}
                """).writeTo(dir);
        assertThat(problems(written)).containsExactly(
                "regions/us-east.yaml:4:15: endpoints[0].address was 'x::1' but must be an IPv4 or IPv6 address",
                "regions/us-east.yaml:5:32: endpoints[1].port was '８０' but must be an integer 1-65535");
    }

    @Test
    void aSecondDocumentAndAnEmptyStatusListAreRefused() throws Exception {
        Path written = ConfigDir.base().with("regions/us-east.yaml", "name: us-east\npriority: 1\n---\nname: mars\n")
                .with("healthchecks/web.yaml", "type: http\npath: /\nexpect-status: []\ninterval: 1s\ntimeout: 500ms\n").writeTo(dir);
        assertThat(problems(written)).containsExactly(
                "healthchecks/web.yaml:3:16: expect-status is empty, so no probe could pass: list a status or a range such as 200-299",
                "regions/us-east.yaml:4:1: a second YAML document starts here, but a file holds one");
    }
}
