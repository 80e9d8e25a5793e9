package io.meridian.config;

import io.meridian.testing.ConfigDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Regions' {@code capacity}, services' {@code load} and {@code headroom}, and {@code drills}: read, and each mistake named where it is. */
class DisasterRecoveryConfigTest {

    @TempDir
    Path dir;

    private static final String REGION = """
            name: us-east
            priority: 1
            capacity: %s
            endpoints:
              - {address: 127.0.1.1, port: 8081, check: web}
            """;

    private static ConfigDir service(String extra) {
        return ConfigDir.base().with("meridian.yaml", """
                vantage: us-east
                dns: {zone: example.test}
                services:
                  - {name: app.example.test, policy: %s, regions: [us-east, eu-west]%s}
                """.formatted(extra.startsWith("latency") ? "latency" : "failover", extra.replace("latency", "")));
    }

    private List<String> problems(ConfigDir config) {
        return config.problems(dir);
    }

    @Test
    void readsCapacityATotalOrPerRegionLoadAndHeadroom() throws Exception {
        MeridianConfig c = ConfigLoader.load(service(", load: 100, headroom: 0.8").with("regions/us-east.yaml", REGION.formatted("120.5"))
                .writeTo(dir));
        assertThat(c.region("us-east").orElseThrow().capacity()).contains(120.5);
        assertThat(c.region("eu-west").orElseThrow().capacity()).isEmpty();
        assertThat(c.services().get(0).load()).contains(new ServiceLoad(Optional.of(100.0), Map.of(), 0.8));

        MeridianConfig perRegion = ConfigLoader.load(service(", load: {us-east: 70, eu-west: 30}").writeTo(dir));
        ServiceLoad load = perRegion.services().get(0).load().orElseThrow();
        assertThat(load.byRegion()).isEqualTo(Map.of("us-east", 70.0, "eu-west", 30.0));
        assertThat(load.sum()).isEqualTo(100.0);
        assertThat(load.headroom()).isEqualTo(1.0);
    }

    @Test
    void namesEachMistake() {
        assertThat(problems(ConfigDir.base().with("regions/us-east.yaml", REGION.formatted("-5")))).singleElement().asString()
                .isEqualTo("regions/us-east.yaml:3:11: capacity was '-5' but must be a number 0-1000000000000");
        assertThat(problems(ConfigDir.base().with("regions/us-east.yaml", REGION.formatted("lots")))).singleElement().asString()
                .contains("capacity was 'lots' but must be a number");
        assertThat(problems(service(", load: NaN")))
                .singleElement().asString().contains("services[0].load was 'NaN' but must be a number 0-1000000000000");
        assertThat(problems(service(", load: {us-east: 70, mars: 30}")))
                .singleElement().asString().contains("services[0].load.mars names a region the service does not span (its regions: us-east, eu-west)");
        assertThat(problems(service(", load: {}"))).singleElement().asString()
                .contains("services[0].load is empty but must give at least one region's load");
        assertThat(problems(service(", headroom: 0.8"))).singleElement().asString()
                .contains("services[0].headroom was given but load was not");
        assertThat(problems(service(", load: 10, headroom: 0"))).singleElement().asString()
                .contains("services[0].headroom was '0' but must be a number 0.01-10");
        assertThat(problems(service("latency, load: 10"))).singleElement().asString()
                .contains("services[0].load is for failover and weighted services");
    }

    @Test
    void readsDrillsAndNamesEachMistake() throws Exception {
        String drills = "drills:\n  - {name: dr, evacuate: us-east, hold: 30s, objectives: {rto: 5m, rpo: 1m}}\n";
        MeridianConfig c = ConfigLoader.load(service("").with("meridian.yaml", base() + drills).writeTo(dir));
        DrillConfig d = c.drill("dr").orElseThrow();
        assertThat(d.evacuate()).isEqualTo("us-east");
        assertThat(d.hold()).hasSeconds(30);
        assertThat(d.rto()).contains(java.time.Duration.ofMinutes(5));
        assertThat(d.servicesIn(c)).extracting(ServiceConfig::name).containsExactly("app.example.test");
        assertThat(problems(service("").with("meridian.yaml", base() + "drills:\n  - {name: dr, evacuate: mars}\n")))
                .singleElement().asString().contains("drills[0].evacuate was 'mars' but no region has that name");
        assertThat(problems(service("").with("meridian.yaml", base() + "drills:\n  - {name: dr, evacuate: us-east, services: [nope.example.test]}\n")))
                .singleElement().asString().contains("drills[0].services names 'nope.example.test' but none has that name");
        assertThat(problems(service("").with("meridian.yaml", base() + drills + "  - {name: dr, evacuate: eu-west}\n")))
                .singleElement().asString().contains("drills[1].name 'dr' is already defined");
        assertThat(problems(service("").with("meridian.yaml", base() + "drills:\n  - {name: dr, evacuate: us-east, schedule: 'every monday'}\n")))
                .singleElement().asString().contains("drills[0].schedule was 'every monday' but must be a Unix cron expression");
        MeridianConfig scheduled = ConfigLoader.load(service("").with("meridian.yaml", base()
                + "drills:\n  - {name: dr, evacuate: us-east, schedule: '0 3 * * 1', announce: 30m}\n").writeTo(dir));
        assertThat(scheduled.drill("dr").orElseThrow().schedule()).contains("0 3 * * 1");
        assertThat(scheduled.drill("dr").orElseThrow().announce()).hasMinutes(30);
    }

    @Test
    void readsCapacityReportsAndScaleHooksAndNamesEachMistake() throws Exception {
        String region = REGION.formatted("100");
        MeridianConfig c = ConfigLoader.load(ConfigDir.base().with("regions/us-east.yaml", region + """
                capacity-report: {url: "http://127.0.0.1:9000/capacity?r=us-east", interval: 2s, timeout: 1s, step: 0.1, floor: 0.5}
                scale-hook: {command: [/usr/local/bin/scale, "{region}", "{capacity}"], deadline: 3m}
                """).writeTo(dir));
        RegionConfig r = c.region("us-east").orElseThrow();
        CapacityReportConfig report = r.capacityReport().orElseThrow();
        assertThat(report.url()).hasToString("http://127.0.0.1:9000/capacity?r=us-east");
        assertThat(report.interval()).hasSeconds(2);
        assertThat(report.staleAfter()).hasSeconds(6);
        assertThat(report.step()).isEqualTo(0.1);
        assertThat(report.floor()).isEqualTo(0.5);
        assertThat(r.scaleHook().orElseThrow().command()).containsExactly("/usr/local/bin/scale", "{region}", "{capacity}");
        assertThat(r.scaleHook().orElseThrow().deadline()).hasMinutes(3);
        assertThat(r.scaleHook().orElseThrow().timeout()).hasSeconds(10);

        String noCapacity = "name: us-east\npriority: 1\nendpoints:\n  - {address: 127.0.1.1, port: 8081, check: web}\n";
        assertThat(problems(ConfigDir.base().with("regions/us-east.yaml", noCapacity + "capacity-report: {url: \"http://127.0.0.1:9/\"}\n")))
                .singleElement().asString().contains("capacity-report needs the region's capacity: the declared capacity bounds what a report may change");
        assertThat(problems(ConfigDir.base().with("regions/us-east.yaml", region + "capacity-report: {url: \"ftp://x/\"}\n")))
                .singleElement().asString().contains("capacity-report.url was 'ftp://x/' but must be an http:// or https:// URL with a host");
        assertThat(problems(ConfigDir.base().with("regions/us-east.yaml", region + "capacity-report: {url: \"http://h/\", interval: 1s, timeout: 2s}\n")))
                .singleElement().asString().contains("capacity-report.timeout was 2s but must not exceed interval (1s)");
        assertThat(problems(ConfigDir.base().with("regions/us-east.yaml", region + "scale-hook: {url: \"http://h/\", command: [x]}\n")))
                .singleElement().asString().contains("scale-hook needs exactly one of url or command");
        assertThat(problems(ConfigDir.base().with("regions/us-east.yaml", region + "scale-hook: {deadline: 1m}\n")))
                .singleElement().asString().contains("scale-hook needs exactly one of url or command");
        assertThat(problems(ConfigDir.base().with("regions/us-east.yaml", region + "scale-hook: {command: []}\n")))
                .singleElement().asString().contains("scale-hook.command is empty but must name the program to run");
    }

    private static String base() {
        return """
                vantage: us-east
                dns: {zone: example.test}
                services:
                  - {name: app.example.test, policy: failover, regions: [us-east, eu-west]}
                """;
    }
}
