package io.meridian.config;

import io.meridian.testing.ConfigDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code logging:} in meridian.yaml: read whole, or refused with every problem at file:line:col. */
class LoggingConfigTest {

    @TempDir
    Path dir;

    private static final String BASE = """
            vantage: us-east
            dns: {zone: example.test}
            services:
              - {name: app.example.test, policy: failover, regions: [us-east, eu-west]}
            """;

    private MeridianConfig load(String logging) throws Exception {
        ConfigDir.base().with("meridian.yaml", BASE + logging).writeTo(dir);
        return ConfigLoader.load(dir);
    }

    @Test
    void readsFormatLevelAndLevelsPerPackage() throws Exception {
        LoggingConfig l = load("logging: {format: json, level: warn, levels: {io.meridian.probe: debug, io.netty: error}}\n").logging();
        assertThat(l.json()).isTrue();
        assertThat(l.level()).isEqualTo("warn");
        assertThat(l.levels()).isEqualTo(Map.of("io.meridian.probe", "debug", "io.netty", "error"));
        assertThat(load("").logging()).isEqualTo(LoggingConfig.defaults());
    }

    @Test
    void everyProblemIsNamedWithItsPlace() throws Exception {
        try {
            load("logging: {format: xml, level: loud, levels: {io.meridian: chatty}, colour: true}\n");
            throw new AssertionError("accepted");
        } catch (InvalidConfigException e) {
            List<String> p = e.problems().stream().map(ConfigProblem::toString).toList();
            assertThat(p).anySatisfy(s -> assertThat(s).contains("meridian.yaml:5:19:").contains("logging.format was 'xml' but must be text or json"))
                    .anySatisfy(s -> assertThat(s).contains("logging.level was 'loud' but must be one of trace, debug, info, warn, error, off"))
                    .anySatisfy(s -> assertThat(s).contains("'chatty'"))
                    .anySatisfy(s -> assertThat(s).contains("colour"));
        }
    }
}
