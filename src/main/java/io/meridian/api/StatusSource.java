package io.meridian.api;

import io.meridian.config.MeridianConfig;
import io.meridian.engine.Engine;

/** What the API reads from the controller. Called on the controller's event loop. */
public interface StatusSource {

    MeridianConfig config();

    /** The decision engine: health verdicts, region status, desired and published answers. */
    Engine engine();

    boolean ready();

    String readiness();
}
