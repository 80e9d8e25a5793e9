package io.meridian.engine;

import io.meridian.config.PolicyType;
import io.meridian.config.RegionConfig;
import io.meridian.config.ServiceConfig;
import io.meridian.health.RegionStatus;
import io.meridian.plan.Plan;
import io.meridian.plan.Readiness;
import io.meridian.plan.ScaleRequests;
import io.meridian.plan.ServiceState;
import io.meridian.policy.CapacityUse;
import io.meridian.policy.DesiredAnswers;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks operator requests against the safety rules and takes them. A dry run goes through the
 * same checks on a copy of the overrides, so it is accepted or refused exactly as the real one would
 * be and shows the same plan. Bad names are {@link IllegalArgumentException}s (the API answers 400/404).
 */
final class IntentDesk {

    private final Engine engine;

    IntentDesk(Engine engine) {
        this.engine = engine;
    }

    Outcome submit(Request r, Instant now, boolean dryRun) {
        Overrides o = dryRun ? engine.overridesForChange().copy() : engine.overridesForChange();
        Set<String> failback = new HashSet<>(engine.failbackNow());
        String message;
        Plan plan;
        List<Readiness.Check> readiness;
        List<ScaleRequests.Ask> asks;
        try {
            // Taken on a copy first: the readiness of the plan it leads to decides whether the real one is taken.
            Overrides trial = o.copy();
            Set<String> trialFailback = new HashSet<>(failback);
            take(r, trial, trialFailback, now, true, Optional.empty());
            plan = engine.preview(trial, trialFailback, now);
            asks = planned(r.intent()) ? ScaleRequests.of(plan, engine.config()) : List.of();
            readiness = planned(r.intent()) ? readiness(plan, trial, asks) : List.of();
            List<Readiness.Check> failed = readiness.stream().filter(c -> !c.ok()).toList();
            if (!failed.isEmpty() && !r.force()) {
                return new Outcome(false, verb(r.intent()) + " refused: not ready: " + failed.stream().map(c -> c.service() + " " + c.region()
                        + " " + c.name() + " (" + c.detail() + ")").reduce((x, y) -> x + "; " + y).orElse("") + " (force it to go anyway)",
                        new Plan(List.of(), List.of()), engine.overridesForChange().list(), readiness);
            }
            // A drain or failover towards regions asked to scale ramps while they grow, until the latest of their deadlines.
            boolean shift = r.intent() instanceof Intent.Drain || r.intent() instanceof Intent.Failover;
            Optional<Instant> rampUntil = !shift ? Optional.empty() : asks.stream()
                    .map(x -> engine.config().region(x.region()).flatMap(RegionConfig::scaleHook).orElseThrow().deadline())
                    .max(Duration::compareTo).filter(d -> !d.isZero()).map(now::plus);
            message = take(r, o, failback, now, dryRun, rampUntil);
            if (rampUntil.isPresent()) {
                plan = engine.preview(o, failback, now);
                message += "; ramps until " + rampUntil.get() + " while " + String.join(", ", asks.stream().map(ScaleRequests.Ask::region).toList())
                        + " scale up";
            }
        } catch (Refused e) {
            return new Outcome(false, e.getMessage(), new Plan(List.of(), List.of()), engine.overridesForChange().list());
        }
        if (!dryRun) {
            engine.failbackNow().clear();
            engine.failbackNow().addAll(failback);
            engine.overridesChanged();
        }
        return new Outcome(true, message + (r.force() ? " (forced)" : ""), plan, o.list(), readiness, asks);
    }

    /** Changes an operator plans that send traffic somewhere: the regions that gain it must be ready. */
    private static boolean planned(Intent i) {
        return i instanceof Intent.Drain || i instanceof Intent.Undrain || i instanceof Intent.Failover || i instanceof Intent.Failback;
    }

    private static String verb(Intent i) {
        return i instanceof Intent.Drain d ? "drain of " + d.region() : i instanceof Intent.Undrain u ? "undrain of " + u.region()
                : i instanceof Intent.Failover f ? "failover of " + f.service() + " to " + f.to()
                : "failback of " + ((Intent.Failback) i).service();
    }

    private List<Readiness.Check> readiness(Plan plan, Overrides o, List<ScaleRequests.Ask> asks) {
        Map<String, Set<String>> drained = new HashMap<>();
        Set<String> paused = new HashSet<>();
        for (String s : engine.services().keySet()) {
            drained.put(s, o.drainedFor(s));
            if (o.paused(s)) {
                paused.add(s);
            }
        }
        Map<String, CapacityUse> reports = new HashMap<>();
        engine.config().regions().forEach(x -> engine.capacityUse(x.name()).ifPresent(u -> reports.put(x.name(), u)));
        Map<String, ScaleRequests.Ask> byRegion = new HashMap<>();
        asks.forEach(a -> byRegion.put(a.region(), a));
        return Readiness.of(plan, engine.published(), engine.regions(), drained, paused, reports, byRegion);
    }

    private String take(Request r, Overrides o, Set<String> failback, Instant now, boolean dryRun, Optional<Instant> rampUntil) {
        Intent intent = r.intent();
        if (intent instanceof Intent.Drain d) {
            return drain(d, r, o, now, rampUntil);
        }
        if (intent instanceof Intent.Undrain u) {
            return undrain(u, o);
        }
        if (intent instanceof Intent.Pause p) {
            p.service().ifPresent(this::requireService);
            o.put(new ManualOverride(ManualOverride.Kind.PAUSE, "", p.service().orElse(ManualOverride.ALL), r.actor(), r.reason(), now,
                    p.expiresIn().map(now::plus), r.force()));
            return "automation paused" + p.service().map(s -> " for " + s).orElse("") + ": plans are computed and shown, not applied";
        }
        if (intent instanceof Intent.Resume p) {
            p.service().ifPresent(this::requireService);
            return o.remove(ManualOverride.Kind.PAUSE, "", p.service().orElse(ManualOverride.ALL)).isPresent()
                    ? "automation resumed" + p.service().map(s -> " for " + s).orElse("")
                    : "automation was not paused" + p.service().map(s -> " for " + s).orElse("");
        }
        if (intent instanceof Intent.Failover f) {
            return failover(f, r, o, now, rampUntil);
        }
        if (intent instanceof Intent.Failback f) {
            requireService(f.service());
            Optional<ManualOverride> pin = o.remove(ManualOverride.Kind.PIN, "", f.service());
            failback.add(f.service());
            if (!dryRun) {
                engine.clearCooldown(f.service());
            }
            return "failing back " + f.service() + " now, past the failback hold"
                    + pin.map(p -> " (ends the manual failover to " + p.region() + ")").orElse("");
        }
        Intent.Acknowledge a = (Intent.Acknowledge) intent;
        requireService(a.service());
        Optional<Instant> until = engine.state(a.service()).cooldownUntil();
        if (!dryRun) {
            engine.clearCooldown(a.service());
        }
        return until.map(t -> "cooldown of " + a.service() + " until " + t + " ended").orElse("no cooldown was running for " + a.service());
    }

    private String drain(Intent.Drain d, Request r, Overrides o, Instant now, Optional<Instant> rampUntil) {
        requireRegion(d.region());
        d.service().ifPresent(this::requireService);
        if (!r.force()) {
            for (ServiceConfig s : engine.config().services()) {
                if (d.service().map(s.name()::equals).orElse(true) && s.regions().contains(d.region())) {
                    List<String> left = inServiceAfter(s, o, d.region());
                    if (left.size() < s.minRegionsInService() || left.isEmpty()) {
                        throw new Refused("drain of " + d.region() + " refused: " + s.name() + " would keep " + left.size()
                                + " region(s) in service " + left + " and " + (left.isEmpty() ? "would fail open"
                                : "min-regions-in-service is " + s.minRegionsInService()) + " (force it to go below)");
                    }
                }
            }
        }
        o.put(new ManualOverride(ManualOverride.Kind.DRAIN, d.region(), d.service().orElse(ManualOverride.ALL), r.actor(), r.reason(), now,
                d.expiresIn().map(now::plus), r.force(), rampUntil));
        return "drained " + d.region() + d.service().map(s -> " for " + s).orElse(" for every service");
    }

    /** The regions that would still serve {@code s} without {@code region}: what it answers now, or could move to. */
    private List<String> inServiceAfter(ServiceConfig s, Overrides o, String region) {
        Set<String> drained = o.drainedFor(s.name());
        // Failover and latency services answer from some regions but can move to any other one in service.
        Optional<DesiredAnswers> answered = engine.state(s.name()).published()
                .filter(p -> !p.failOpen() && s.policy() == PolicyType.WEIGHTED);
        List<String> now = answered.isPresent() ? List.copyOf(answered.get().regionsInService())
                : s.regions().stream().filter(x -> up(x) && !drained.contains(x)).toList();
        return now.stream().filter(x -> !x.equals(region)).toList();
    }

    private String undrain(Intent.Undrain u, Overrides o) {
        requireRegion(u.region());
        u.service().ifPresent(this::requireService);
        return o.remove(ManualOverride.Kind.DRAIN, u.region(), u.service().orElse(ManualOverride.ALL)).isPresent()
                ? "undrained " + u.region() + u.service().map(s -> " for " + s).orElse(" for every service")
                : u.region() + " was not drained" + u.service().map(s -> " for " + s).orElse(" for every service");
    }

    private String failover(Intent.Failover f, Request r, Overrides o, Instant now, Optional<Instant> rampUntil) {
        ServiceConfig s = requireService(f.service());
        requireRegion(f.to());
        if (!s.regions().contains(f.to())) {
            throw new IllegalArgumentException("to: region '" + f.to() + "' is not one of " + s.name() + "'s regions " + s.regions());
        }
        if (!r.force()) {
            if (!up(f.to()) || o.drainedFor(s.name()).contains(f.to())) {
                RegionStatus st = engine.regionStatus(f.to());
                throw new Refused("failover of " + s.name() + " to " + f.to() + " refused: " + f.to() + " is "
                        + (o.drainedFor(s.name()).contains(f.to()) ? "drained" : "down (" + (st == null ? "not evaluated yet" : st.reason()) + ")")
                        + "; force it to fail over anyway");
            }
            if (s.minRegionsInService() > 1) {
                throw new Refused("failover of " + s.name() + " to " + f.to() + " refused: it would leave 1 region in service and "
                        + "min-regions-in-service is " + s.minRegionsInService() + " (force it to go below)");
            }
            ServiceState st = engine.state(s.name());
            if (st.cooldownUntil().filter(now::isBefore).isPresent()) {
                throw new Refused("failover of " + s.name() + " refused: cooldown until " + st.cooldownUntil().get()
                        + " after an automatic failover; acknowledge it or force");
            }
        }
        o.put(new ManualOverride(ManualOverride.Kind.PIN, f.to(), s.name(), r.actor(), r.reason(), now, f.expiresIn().map(now::plus), r.force(),
                rampUntil));
        return s.name() + " fails over to " + f.to() + " by hand" + f.expiresIn().map(d -> " for " + d.toSeconds() + "s").orElse("");
    }

    private boolean up(String region) {
        RegionStatus st = engine.regionStatus(region);
        return st != null && st.up();
    }

    private void requireRegion(String region) {
        if (engine.config().region(region).isEmpty()) {
            throw new IllegalArgumentException("region '" + region + "' is not configured");
        }
    }

    private ServiceConfig requireService(String service) {
        ServiceConfig s = engine.services().get(service);
        if (s == null) {
            throw new IllegalArgumentException("service '" + service + "' is not configured");
        }
        return s;
    }

    /** A safety rule said no. */
    private static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }
}
