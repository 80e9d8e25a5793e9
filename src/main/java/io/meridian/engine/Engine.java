package io.meridian.engine;

import io.meridian.config.EndpointConfig;
import io.meridian.config.HealthCheckConfig;
import io.meridian.config.MeridianConfig;
import io.meridian.config.PolicyType;
import io.meridian.config.RegionConfig;
import io.meridian.config.ServiceConfig;
import io.meridian.health.CheckRules;
import io.meridian.health.HealthBook;
import io.meridian.health.HealthChange;
import io.meridian.health.Observation;
import io.meridian.health.RegionEvaluator;
import io.meridian.health.RegionStatus;
import io.meridian.health.TargetState;
import io.meridian.health.TargetVerdict;
import io.meridian.health.Transition;
import io.meridian.plan.Action;
import io.meridian.plan.Plan;
import io.meridian.plan.PlanContext;
import io.meridian.plan.Planner;
import io.meridian.plan.ServiceState;
import io.meridian.policy.DesiredAnswers;
import io.meridian.policy.RegionView;
import io.meridian.policy.RoutingPolicy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The decision engine: observations in, decisions out. Owns target health (all vantages), region
 * status, what each service should answer and what it answers, failover history and operator
 * overrides. Pure: time is always an argument, nothing here does I/O. Single-threaded.
 *
 * <pre>{@code
 * Engine engine = new Engine(config, now);
 * engine.observe(observation);                 // as results arrive
 * Decision d = engine.tick(now);               // on every state change and every automation.tick
 * apply(d.plan().actions());                   // publish through a DnsProvider, then:
 * engine.applied(d.plan().actions(), now);
 * }</pre>
 */
public final class Engine {

    private final MeridianConfig config;
    private final HealthBook health;
    private final Map<String, List<String>> regionTargets = new LinkedHashMap<>();
    private final Map<String, RegionStatus> regions = new LinkedHashMap<>();
    private final Map<String, Instant> regionUpSince = new HashMap<>();
    private final Set<String> seenDown = new HashSet<>();
    private final Map<String, DesiredAnswers> desired = new LinkedHashMap<>();
    private final Map<String, ServiceState> states = new HashMap<>();
    private final Map<String, ServiceConfig> services = new LinkedHashMap<>();
    private final Map<String, RegionConfig> regionConfigs = new HashMap<>();
    private final Map<String, String> lastHeld = new HashMap<>();
    private final Overrides overrides = new Overrides();
    private boolean overridesChanged;

    public Engine(MeridianConfig config, Instant now) {
        this.config = config;
        config.services().forEach(s -> services.put(s.name(), s));
        config.regions().forEach(r -> regionConfigs.put(r.name(), r));
        Map<String, HealthCheckConfig> checks = config.checksByName();
        List<HealthBook.TargetSpec> specs = new ArrayList<>();
        for (RegionConfig r : config.regions()) {
            List<String> ids = new ArrayList<>();
            for (EndpointConfig e : r.endpoints()) {
                HealthCheckConfig c = checks.get(e.check());
                specs.add(new HealthBook.TargetSpec(e.id(r.name()), r.name(),
                        new CheckRules(c.rise(), c.fall(), c.latencyThreshold(), c.latencyRise(), c.latencyFall())));
                ids.add(e.id(r.name()));
            }
            regionTargets.put(r.name(), List.copyOf(ids));
        }
        this.health = new HealthBook(config.health(), specs, now);
    }

    /** Feeds one probe result; returns the change of that vantage's view of the target, if any. */
    public Transition observe(Observation o) {
        return health.observe(o);
    }

    /** Decides health, regions, answers and the plan at {@code now}. Apply the plan, then call {@link #applied}. */
    public Decision tick(Instant now) {
        List<Event> events = new ArrayList<>();
        for (HealthChange c : health.evaluate(now)) {
            events.add(new Event(c.at(), Event.Kind.valueOf(c.kind().name()), c.subject(), c.message()));
        }
        Set<String> changed = health.takeChangedRegions();
        boolean everything = regions.isEmpty() || overridesChanged;
        for (RegionConfig r : config.regions()) {
            if (!everything && !changed.contains(r.name())) {
                continue; // no verdict of its targets moved: its status cannot have
            }
            List<TargetVerdict> verdicts = regionTargets.get(r.name()).stream().map(health::verdict).toList();
            RegionStatus status = RegionEvaluator.evaluate(r, verdicts);
            RegionStatus previous = regions.put(r.name(), status);
            if (status.up() && !regionUpSince.containsKey(r.name()) && seenDown.contains(r.name())) {
                // Only a region that was really down must prove itself stable before traffic returns;
                // one that merely came up for the first time (start-up) has nothing to prove.
                regionUpSince.put(r.name(), now);
            } else if (!status.up()) {
                regionUpSince.remove(r.name());
                if (verdicts.stream().anyMatch(v -> v.state() == TargetState.DOWN)) {
                    seenDown.add(r.name());
                }
            }
            if (previous == null ? status.up() : previous.up() != status.up()) {
                events.add(new Event(now, Event.Kind.REGION_STATE, r.name(),
                        "region " + r.name() + " is now " + (status.up() ? "UP" : "DOWN") + ": " + status.reason()));
            }
        }
        List<DesiredAnswers> wanted = new ArrayList<>();
        for (ServiceConfig s : config.services()) {
            DesiredAnswers d = desired.get(s.name());
            // Latency moves with every result; other policies only when a region's status or an override does.
            if (d == null || everything || s.policy() == PolicyType.LATENCY || s.regions().stream().anyMatch(changed::contains)) {
                Set<String> drained = overrides.drainedFor(s.name());
                List<RegionView> views = s.regions().stream().map(name -> view(s, name, drained)).toList();
                d = RoutingPolicy.of(s.policy()).decide(s, views, Optional.ofNullable(d));
                desired.put(s.name(), d);
            }
            wanted.add(d);
        }
        overridesChanged = false;
        Plan plan = Planner.plan(wanted, context(), now);
        reportHolds(plan, now, events);
        return new Decision(now, events, plan);
    }

    private RegionView view(ServiceConfig s, String region, Set<String> drained) {
        Map<String, Double> latency = new HashMap<>();
        if (s.policy() == PolicyType.LATENCY) {
            for (String v : health.vantages()) {
                double ms = health.latencyMillis(regionTargets.get(region), v);
                if (!Double.isNaN(ms)) {
                    latency.put(v, ms);
                }
            }
        }
        return new RegionView(regionConfigs.get(region), regions.get(region), latency, drained.contains(region));
    }

    private PlanContext context() {
        Map<String, Boolean> inService = new HashMap<>();
        regions.forEach((name, st) -> inService.put(name, st.up()));
        Map<String, Set<String>> drained = new HashMap<>();
        Set<String> paused = new HashSet<>();
        for (String s : services.keySet()) {
            drained.put(s, overrides.drainedFor(s));
            if (overrides.paused(s)) {
                paused.add(s);
            }
        }
        return new PlanContext(services, states, config.automation(), inService, regionUpSince, drained, paused);
    }

    /** Held and paused changes are reported once, and again only when what is held changes (counters aside). */
    private void reportHolds(Plan plan, Instant now, List<Event> events) {
        Map<String, List<String>> byService = new LinkedHashMap<>();
        plan.held().forEach(h -> byService.computeIfAbsent(h.substring(0, h.indexOf(':')), k -> new ArrayList<>()).add(h));
        plan.paused().forEach(a -> byService.computeIfAbsent(a.service(), k -> new ArrayList<>()).add("PAUSED " + a.reason()));
        for (String s : services.keySet()) {
            List<String> now2 = byService.getOrDefault(s, List.of());
            String key = String.join("\n", now2).replaceAll("[0-9]", "");
            if (!key.equals(lastHeld.getOrDefault(s, ""))) {
                for (String h : now2) {
                    boolean isPaused = h.startsWith("PAUSED ");
                    events.add(new Event(now, isPaused ? Event.Kind.PAUSED : Event.Kind.HELD, s,
                            isPaused ? "automation paused, not applied: " + h.substring(7) : h));
                }
            }
            lastHeld.put(s, key);
        }
    }

    /** Records that {@code actions} were published at {@code now}; returns the events that say so. */
    public List<Event> applied(List<Action> actions, Instant now) {
        List<Event> events = new ArrayList<>();
        for (Action a : actions) {
            ServiceState st = states.getOrDefault(a.service(), ServiceState.initial());
            List<Instant> failovers = new ArrayList<>(st.failovers());
            failovers.removeIf(t -> !t.isAfter(now.minus(config.automation().failoverWindow())));
            Optional<Instant> cooldown = st.cooldownUntil();
            if (a.kind() == Action.Kind.FAILOVER) {
                failovers.add(now);
                cooldown = config.automation().cooldown().isZero() ? Optional.empty() : Optional.of(now.plus(config.automation().cooldown()));
            }
            states.put(a.service(), new ServiceState(Optional.of(a.answers()), failovers, cooldown));
            Event.Kind kind = a.answers().failOpen() ? Event.Kind.FAIL_OPEN : Event.Kind.valueOf(a.kind().name());
            events.add(new Event(now, kind, a.service(), a.reason()));
        }
        return events;
    }

    // ---- operator intent -------------------------------------------------------------------

    /** Takes {@code region} out of service for one service, or for all when {@code service} is empty. */
    public Event drain(String region, Optional<String> service, Instant now) {
        return drain(region, service, false, now);
    }

    /**
     * Takes {@code region} out of service for one service, or for all when {@code service} is empty.
     * Refused (an event of kind HELD, nothing changes) when it would leave a service with fewer
     * regions in service than its {@code min-regions-in-service}, unless {@code force}.
     */
    public Event drain(String region, Optional<String> service, boolean force, Instant now) {
        requireRegion(region);
        service.ifPresent(this::requireService);
        if (!force) {
            for (ServiceConfig s : config.services()) {
                if (service.map(s.name()::equals).orElse(true) && s.regions().contains(region)) {
                    // Count what resolvers get now: a region kept by a held change still serves.
                    Set<String> drained = overrides.drainedFor(s.name());
                    // A failover service answers from one region but can move to any other one in service.
                    Optional<DesiredAnswers> answered = state(s.name()).published()
                            .filter(p -> !p.failOpen() && s.policy() != PolicyType.FAILOVER);
                    List<String> inService = answered.isPresent() ? List.copyOf(answered.get().regionsInService())
                            : s.regions().stream().filter(r -> regions.containsKey(r) && regions.get(r).up() && !drained.contains(r)).toList();
                    if (inService.contains(region) && inService.size() - 1 < s.minRegionsInService()) {
                        return new Event(now, Event.Kind.HELD, region, "drain of " + region + " refused: " + s.name()
                                + " would keep " + (inService.size() - 1) + " region(s) in service and min-regions-in-service is "
                                + s.minRegionsInService() + " (force it to go below)");
                    }
                }
            }
        }
        boolean changed = overrides.drain(region, service.orElse(Overrides.ALL));
        overridesChanged = true;
        return new Event(now, Event.Kind.OPERATOR, region, (changed ? "drained " : "already drained ") + region
                + service.map(s -> " for " + s).orElse(" for every service") + (force ? " (forced)" : ""));
    }

    public Event undrain(String region, Optional<String> service, Instant now) {
        requireRegion(region);
        service.ifPresent(this::requireService);
        boolean changed = overrides.undrain(region, service.orElse(Overrides.ALL));
        overridesChanged = true;
        return new Event(now, Event.Kind.OPERATOR, region, (changed ? "undrained " : "was not drained: ") + region
                + service.map(s -> " for " + s).orElse(" for every service"));
    }

    public Event pause(Optional<String> service, Instant now) {
        service.ifPresent(this::requireService);
        overrides.pause(service.orElse(Overrides.ALL));
        overridesChanged = true;
        return new Event(now, Event.Kind.OPERATOR, service.orElse("*"), "automation paused" + service.map(s -> " for " + s).orElse(""));
    }

    public Event resume(Optional<String> service, Instant now) {
        service.ifPresent(this::requireService);
        overrides.resume(service.orElse(Overrides.ALL));
        overridesChanged = true;
        return new Event(now, Event.Kind.OPERATOR, service.orElse("*"), "automation resumed" + service.map(s -> " for " + s).orElse(""));
    }

    /** Ends the cooldown after an automatic failover early. */
    public Event acknowledge(String service, Instant now) {
        requireService(service);
        ServiceState st = states.getOrDefault(service, ServiceState.initial());
        states.put(service, new ServiceState(st.published(), st.failovers(), Optional.empty()));
        return new Event(now, Event.Kind.OPERATOR, service, "cooldown acknowledged" + st.cooldownUntil().map(t -> " (was until " + t + ")").orElse(" (none was running)"));
    }

    private void requireRegion(String region) {
        if (config.region(region).isEmpty()) {
            throw new IllegalArgumentException("region '" + region + "' is not configured");
        }
    }

    private void requireService(String service) {
        if (!services.containsKey(service)) {
            throw new IllegalArgumentException("service '" + service + "' is not configured");
        }
    }

    // ---- views -----------------------------------------------------------------------------

    public HealthBook health() {
        return health;
    }

    public MeridianConfig config() {
        return config;
    }

    public Map<String, RegionStatus> regions() {
        return Map.copyOf(regions);
    }

    public Map<String, DesiredAnswers> desired() {
        return Map.copyOf(desired);
    }

    public Map<String, DesiredAnswers> published() {
        Map<String, DesiredAnswers> out = new LinkedHashMap<>();
        states.forEach((s, st) -> st.published().ifPresent(p -> out.put(s, p)));
        return out;
    }

    public ServiceState state(String service) {
        return states.getOrDefault(service, ServiceState.initial());
    }

    public Set<String> drainedFor(String service) {
        return overrides.drainedFor(service);
    }

    public boolean paused(String service) {
        return overrides.paused(service);
    }

    public List<String> targetsOf(String region) {
        return regionTargets.getOrDefault(region, List.of());
    }
}
