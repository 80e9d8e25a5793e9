package io.meridian.sim;

import io.meridian.config.ConfigLoader;
import io.meridian.config.MeridianConfig;
import org.junit.jupiter.api.Test;

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
}
