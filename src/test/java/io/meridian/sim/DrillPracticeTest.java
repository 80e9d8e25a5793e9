package io.meridian.sim;

import io.meridian.config.ConfigLoader;
import io.meridian.config.MeridianConfig;
import io.meridian.testing.ConfigDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code meridian drill run NAME --practice}: the drill rehearsed in the simulator, nothing changed. */
class DrillPracticeTest {

    @Test
    void thePracticeOfADrillShowsEveryAnswerLeavingTheRegionAndComingBack() throws Exception {
        MeridianConfig config = ConfigLoader.load(Path.of("src/test/resources/scenarios/config"));
        DrillPractice.Result r = DrillPractice.run(config, config.drill("evacuate-us-east").orElseThrow());
        assertThat(r.timeline()).first().asString().contains("OPERATOR", "drained us-east for every service");
        assertThat(r.timeline()).anySatisfy(l -> assertThat(l).contains("DRAIN", "cap.sim.meridian.test", "eu-west(w60)", "ap-south(w40)"))
                .anySatisfy(l -> assertThat(l).contains("+30s", "undrained us-east"));
        assertThat(r.expected().get(0)).startsWith("every answer of [app.sim.meridian.test, www.sim.meridian.test, near.sim.meridian.test, "
                + "cap.sim.meridian.test] leaves us-east +0s after the drain");
        assertThat(r.expected().get(1)).startsWith("traffic returns to us-east");
    }

    @Test
    void thePracticeListsTheSwitchoverOfEachDatabasePrimaryInTheRegion(@TempDir Path dir) throws Exception {
        MeridianConfig config = ConfigLoader.load(ConfigDir.base()
                .with("meridian.yaml", """
                        vantage: us-east
                        dns: {zone: example.test}
                        services:
                          - {name: app.example.test, policy: failover, regions: [us-east, eu-west]}
                        databases:
                          - {name: orders, kind: postgres, write-name: db.example.test, candidates: [us-east, eu-west], rpo-bytes: 0, rpo-lag: 0s, cross-region: true}
                        drills:
                          - {name: dr, evacuate: us-east, hold: 30s}
                        """)
                .with("regions/us-east.yaml", "name: us-east\npriority: 1\nendpoints:\n  - {address: 127.0.1.1, port: 8081, check: web}\n"
                        + "databases:\n  - {cluster: orders, host: 127.0.1.10, port: 5432, user: postgres}\n")
                .with("regions/eu-west.yaml", "name: eu-west\npriority: 2\nendpoints:\n  - {address: 127.0.2.1, port: 8081, check: web}\n"
                        + "databases:\n  - {cluster: orders, host: 127.0.2.10, port: 5432, user: postgres}\n")
                .writeTo(dir));
        DrillPractice.Result r = DrillPractice.run(config, config.drill("dr").orElseThrow());
        assertThat(r.expected()).anySatisfy(l -> assertThat(l).startsWith("orders: a primary among [orders/us-east/127.0.1.10:5432] is switched "
                + "over to the first reachable replica of [orders/eu-west/127.0.2.10:5432]"));
    }
}
