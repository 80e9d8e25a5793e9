package io.meridian.engine;

import java.time.Instant;
import java.util.Optional;

/**
 * One standing operator decision, with who made it, when and why.
 *
 * @param region  the drained region or the region a service is pinned to; empty for a pause
 * @param service the service it applies to, or {@code *} for every service
 * @param forced  made past a safety rule by an admin
 * @param rampUntil a drain towards regions asked to scale up: until then the drained region keeps what they
 *                  cannot carry yet (see {@link io.meridian.policy.RegionView#draining})
 */
public record ManualOverride(Kind kind, String region, String service, String actor, String reason, Instant at,
                       Optional<Instant> expiresAt, boolean forced, Optional<Instant> rampUntil) {

    public ManualOverride(Kind kind, String region, String service, String actor, String reason, Instant at,
                          Optional<Instant> expiresAt, boolean forced) {
        this(kind, region, service, actor, reason, at, expiresAt, forced, Optional.empty());
    }

    public enum Kind {
        /** the region gets no traffic (for the service, or for all) */
        DRAIN,
        /** automation computes but does not apply */
        PAUSE,
        /** the service answers from this region only (a manual failover) */
        PIN
    }

    public static final String ALL = "*";

    /** Two overrides with the same key replace each other. */
    boolean sameKey(ManualOverride o) {
        return kind == o.kind && region.equals(o.region) && service.equals(o.service)
                || kind == Kind.PIN && o.kind == Kind.PIN && service.equals(o.service);
    }

    boolean expired(Instant now) {
        return expiresAt.map(t -> !now.isBefore(t)).orElse(false);
    }

    boolean ramping(Instant now) {
        return rampUntil.map(now::isBefore).orElse(false);
    }

    /** The same override with its ramp over. */
    ManualOverride rampOver() {
        return new ManualOverride(kind, region, service, actor, reason, at, expiresAt, forced, Optional.empty());
    }

    public String describe() {
        String what = switch (kind) {
            case DRAIN -> "drain of " + region + (service.equals(ALL) ? " for every service" : " for " + service);
            case PAUSE -> "pause of automation" + (service.equals(ALL) ? "" : " for " + service);
            case PIN -> service + " pinned to " + region;
        };
        return what + " by " + actor + " at " + at + (forced ? " (forced)" : "") + ": " + reason
                + expiresAt.map(t -> ", until " + t).orElse("") + rampUntil.map(t -> ", ramping until " + t).orElse("");
    }
}
