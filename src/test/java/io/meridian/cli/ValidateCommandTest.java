package io.meridian.cli;

import io.meridian.testing.ConfigDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ValidateCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int meridian(String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void exitsZeroAndSummarisesAValidConfig() {
        int code = meridian("validate", "--config-dir", ConfigDir.base().writeTo(dir).toString());
        assertThat(code).isZero();
        assertThat(out.toString()).isEqualTo("ok: 1 service(s), 2 region(s), 2 endpoint(s), 1 health check(s)\n");
    }

    @Test
    void exitsTwoListingEveryProblemOnePerLine() {
        ConfigDir.base()
                .with("regions/eu-west.yaml", """
                        name: eu-west
                        priority: 2
                        endpoints:
                          - {address: 127.0.2.1, port: 99999, check: web}
                        """)
                .with("healthchecks/web.yaml", """
                        type: http
                        interval: soon
                        """)
                .writeTo(dir);
        int code = meridian("validate", "--config-dir", dir.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                "healthchecks/web.yaml:2:11: interval was 'soon' but must be a duration such as 500ms, 2s, 1m, 1h, 1d",
                "regions/eu-west.yaml:4:32: endpoints[0].port was '99999' but must be an integer 1-65535",
                "2 problem(s) in " + dir.toAbsolutePath().normalize());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void runRefusesToStartOnAnInvalidConfig() {
        ConfigDir.base().without("healthchecks/web.yaml").writeTo(dir);
        int code = meridian("run", "--config-dir", dir.toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("healthchecks/:1:1: no *.yaml file found")
                .contains("meridian run: refusing to start on an invalid configuration");
    }
}
