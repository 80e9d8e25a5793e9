package io.meridian.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a scheduled drill does at a look: announced {@code announce} before its run, run when due, or
 * skipped with why when a region is down, automation is paused or another drill runs. Pure.
 */
public final class DrillSchedule {

    private DrillSchedule() {
    }

    public enum Step { NOTHING, ANNOUNCE, RUN, SKIP }

    /**
     * @param nextRun   the run this drill waits for
     * @param announced whether that run was announced already
     * @param blocker   why it may not run now, if anything
     */
    public static Step step(Instant now, Instant nextRun, Duration announce, boolean announced, Optional<String> blocker) {
        if (!now.isBefore(nextRun)) {
            return blocker.isPresent() ? Step.SKIP : Step.RUN;
        }
        return !announced && !now.isBefore(nextRun.minus(announce)) ? Step.ANNOUNCE : Step.NOTHING;
    }
}
