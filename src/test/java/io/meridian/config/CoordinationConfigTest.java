package io.meridian.config;

import io.meridian.testing.ConfigDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code coordination:} in meridian.yaml: read whole, or refused with every problem at file:line:col. */
class CoordinationConfigTest {

    @TempDir
    Path dir;

    private static final String BASE = """
            vantage: us-east
            api:
              listen: 127.0.0.1:0
            dns:
              zone: example.test
              listen: 127.0.0.1:0
            services:
              - {name: app.example.test, policy: failover, regions: [us-east, eu-west]}
            health:
              vantages: [us-east, eu-west, ap-south]
            """;

    private List<String> problems(String coordination) throws Exception {
        ConfigDir.base().with("meridian.yaml", BASE + coordination).writeTo(dir);
        try {
            ConfigLoader.load(dir);
            return List.of();
        } catch (InvalidConfigException e) {
            return e.problems().stream().map(ConfigProblem::toString).toList();
        }
    }

    @Test
    void withoutTheSectionADaemonIsAlone() throws Exception {
        ConfigDir.base().writeTo(dir);
        assertThat(ConfigLoader.load(dir).coordination().type()).isEqualTo(CoordinationConfig.Type.LOCAL);
    }

    @Test
    void anEtcdSectionIsReadWhole() throws Exception {
        ConfigDir.base().with("meridian.yaml", BASE + """
                coordination:
                  type: etcd
                  endpoints: [http://10.0.1.5:2379, "https://etcd-eu.example.test:2379"]
                  prefix: /meridian/prod
                  lease-ttl: 10s
                  grace: 2s
                  reassert: 1s
                """).writeTo(dir);
        CoordinationConfig c = ConfigLoader.load(dir).coordination();
        assertThat(c.etcd()).isTrue();
        assertThat(c.endpoints()).hasSize(2);
        assertThat(c.prefix()).isEqualTo("/meridian/prod/");
        assertThat(c.leaseTtl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.grace()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void everyMistakeIsNamedWithItsPlace() throws Exception {
        assertThat(problems("""
                coordination:
                  type: zookeeper
                """)).singleElement().asString().startsWith("meridian.yaml:12:9: coordination.type was 'zookeeper' but must be local or etcd");
        assertThat(problems("""
                coordination:
                  type: etcd
                  endpoints: [10.0.1.5:2379, "http://ok:2379"]
                """)).singleElement().asString().startsWith("meridian.yaml:13:").contains("'10.0.1.5:2379'", "http:// or https:// URL");
        assertThat(problems("""
                coordination:
                  type: etcd
                  endpoints: [http://127.0.0.1:2379]
                  lease-ttl: 500ms
                """)).singleElement().asString().startsWith("meridian.yaml:14:").contains("coordination.lease-ttl");
        assertThat(problems("""
                coordination:
                  type: etcd
                  endpoints: [http://127.0.0.1:2379]
                  lease-ttl: 2s
                  reassert: 5s
                """)).singleElement().asString().contains("coordination.reassert", "shorter than lease-ttl");
        assertThat(problems("""
                coordination:
                  type: etcd
                """)).singleElement().asString().contains("coordination.endpoints");
        assertThat(problems("""
                coordination:
                  type: etcd
                  endpoints: [http://127.0.0.1:2379]
                  colour: blue
                """)).singleElement().asString().contains("unknown key 'coordination.colour'");
    }

    @Test
    void etcdNeedsEveryVantageListed() throws Exception {
        ConfigDir.base().with("meridian.yaml", BASE.replace("  vantages: [us-east, eu-west, ap-south]\n", "  min-hold: 0s\n") + """
                coordination:
                  type: etcd
                  endpoints: [http://127.0.0.1:2379]
                """).writeTo(dir);
        try {
            ConfigLoader.load(dir);
            throw new AssertionError("loaded");
        } catch (InvalidConfigException e) {
            assertThat(e.problems().toString()).contains("health.vantages lists 1 vantage");
        }
    }
}
