package io.meridian.api;

import io.meridian.config.MeridianConfig;
import io.meridian.health.RegionStatus;
import io.meridian.health.TargetHealth;
import io.meridian.policy.DesiredAnswers;

import java.util.Map;

/** What the API reads from the controller. Called on the controller's event loop. */
public interface StatusSource {

    MeridianConfig config();

    Map<String, TargetHealth> health();

    Map<String, RegionStatus> regions();

    /** What each service answers now. */
    Map<String, DesiredAnswers> published();

    /** What each service should answer according to the last evaluation. */
    Map<String, DesiredAnswers> desired();

    boolean ready();

    String readiness();
}
