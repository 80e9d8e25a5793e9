package io.meridian.replication;

import io.meridian.plan.RoleChange;
import io.vertx.core.Future;

/**
 * Called at each boundary of each step of a role change. The daemon lets every step through; crash
 * drills (and the tests that prove a crash at any point of a failover resumes) hold one back and
 * stop the daemon there.
 */
@FunctionalInterface
public interface StepGate {

    /** Where in a step the change is. */
    enum Boundary {
        /** the step is journaled as started and has not run */
        STARTED,
        /** the step has run and is not journaled as done */
        RAN,
        /** the step is journaled as done; the next one (or the change's end) has not begun */
        DONE
    }

    StepGate OPEN = (change, step, boundary) -> Future.succeededFuture();

    Future<Void> at(RoleChange change, RoleChange.Step step, Boundary boundary);
}
