package io.meridian.engine;

import java.time.Duration;
import java.util.Optional;

/** What an operator asks for. Every intent is checked against the safety rules before it is taken. */
public sealed interface Intent {

    /** Take a region out of service, for one service or all. */
    record Drain(String region, Optional<String> service, Optional<Duration> expiresIn) implements Intent {
    }

    record Undrain(String region, Optional<String> service) implements Intent {
    }

    /** Stop applying automatic plans (they are still computed and shown), for one service or all. */
    record Pause(Optional<String> service, Optional<Duration> expiresIn) implements Intent {
    }

    record Resume(Optional<String> service) implements Intent {
    }

    /** Serve {@code service} from {@code to} only, now. */
    record Failover(String service, String to, Optional<Duration> expiresIn) implements Intent {
    }

    /** End a manual failover and let the service return to its preferred region now, past the failback hold. */
    record Failback(String service) implements Intent {
    }

    /** End the cooldown after an automatic failover early. */
    record Acknowledge(String service) implements Intent {
    }
}
