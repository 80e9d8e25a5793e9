package io.meridian.plan;

import io.meridian.config.CronSchedule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static io.meridian.plan.DrillSchedule.Step.ANNOUNCE;
import static io.meridian.plan.DrillSchedule.Step.NOTHING;
import static io.meridian.plan.DrillSchedule.Step.RUN;
import static io.meridian.plan.DrillSchedule.Step.SKIP;
import static org.assertj.core.api.Assertions.assertThat;

/** Scheduled drills: cron in UTC, announced before, run when due unless something blocks them. */
class DrillScheduleTest {

    private static final Instant MONDAY_0300 = Instant.parse("2030-01-07T03:00:00Z");

    @Test
    void aUnixCronNamesItsNextTimeInUtc() {
        assertThat(CronSchedule.next("0 3 * * 1", Instant.parse("2030-01-01T12:00:00Z"))).contains(MONDAY_0300);
        assertThat(CronSchedule.next("*/15 * * * *", Instant.parse("2030-01-01T12:07:30Z"))).contains(Instant.parse("2030-01-01T12:15:00Z"));
        assertThat(CronSchedule.problem("0 3 * * 1")).isEmpty();
        assertThat(CronSchedule.problem("every monday")).isPresent();
        assertThat(CronSchedule.problem("0 25 * * *")).isPresent();
    }

    @Test
    void aRunIsAnnouncedOnceThenRunsWhenDueOrIsSkippedWithWhy() {
        Duration tenMinutes = Duration.ofMinutes(10);
        assertThat(DrillSchedule.step(MONDAY_0300.minusSeconds(3600), MONDAY_0300, tenMinutes, false, Optional.empty())).isEqualTo(NOTHING);
        assertThat(DrillSchedule.step(MONDAY_0300.minusSeconds(600), MONDAY_0300, tenMinutes, false, Optional.empty())).isEqualTo(ANNOUNCE);
        assertThat(DrillSchedule.step(MONDAY_0300.minusSeconds(300), MONDAY_0300, tenMinutes, true, Optional.empty())).isEqualTo(NOTHING);
        assertThat(DrillSchedule.step(MONDAY_0300, MONDAY_0300, tenMinutes, true, Optional.empty())).isEqualTo(RUN);
        assertThat(DrillSchedule.step(MONDAY_0300.plusSeconds(1), MONDAY_0300, tenMinutes, true, Optional.of("region eu-west is not up")))
                .isEqualTo(SKIP);
    }
}
