package io.meridian.replication;

import io.meridian.plan.RoleChange;
import io.vertx.core.Future;

/**
 * Called before each step of a role change runs. The daemon lets every step through; crash drills
 * (and the tests that prove a crash mid-failover resumes) hold one back and stop the daemon there.
 */
@FunctionalInterface
public interface StepGate {

    StepGate OPEN = (change, step) -> Future.succeededFuture();

    Future<Void> before(RoleChange change, RoleChange.Step step);
}
