package io.meridian.engine;

/**
 * An operator's intent with who asks and why.
 *
 * @param force past the safety rules (min-regions-in-service, cooldowns, a target region that is down);
 *              recorded as forced
 */
public record Request(Intent intent, String actor, String reason, boolean force) {

    public Request {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason is required");
        }
    }
}
