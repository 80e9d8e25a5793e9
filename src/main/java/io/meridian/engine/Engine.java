package io.meridian.engine;

import io.meridian.config.MeridianConfig;
import io.meridian.config.PolicyType;
import io.meridian.config.RegionConfig;
import io.meridian.config.ServiceConfig;
import io.meridian.health.HealthBook;
import io.meridian.health.HealthChange;
import io.meridian.health.LatencyHistory;
import io.meridian.health.Observation;
import io.meridian.health.RegionEvaluator;
import io.meridian.health.RegionStatus;
import io.meridian.health.TargetVerdict;
import io.meridian.health.Transition;
import io.meridian.plan.Action;
import io.meridian.plan.Plan;
import io.meridian.plan.PlanContext;
import io.meridian.plan.Planner;
import io.meridian.plan.ServiceState;
import io.meridian.policy.CapacityUse;
import io.meridian.policy.DesiredAnswers;
import io.meridian.policy.RegionView;
import io.meridian.policy.RoutingPolicy;

import java.time.Duration;
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

    private MeridianConfig config;
    private Topology topology;
    private final HealthBook health;
    private final LatencyHistory history = new LatencyHistory();
    private final RegionTracker tracker = new RegionTracker();
    private final Map<String, RegionStatus> regions = tracker.regions;
    private final Capacities capacities = new Capacities();
    private final Map<String, DesiredAnswers> desired = new LinkedHashMap<>();
    private final Map<String, ServiceState> states = new HashMap<>();
    private final HoldReports holds = new HoldReports();
    private Overrides overrides = new Overrides();
    private final Set<String> failbackNow = new HashSet<>();
    private boolean overridesChanged;
    private boolean firstTick = true;
    private final Duration startupWait;
    private StartupHold startup;
    private boolean startupOver;
    private final Set<String> heldAtStart = new HashSet<>();

    public Engine(MeridianConfig config, Instant now) {
        this.config = config;
        this.topology = Topology.of(config);
        this.health = new HealthBook(config.health(), topology.specs(), now);
        this.startupWait = config.health().startupWait(config.checks());
        this.startup = new StartupHold(now, startupWait);
        // Every region starts known-unknown, so that a request before the first tick has a state to check.
        config.regions().forEach(r -> regions.put(r.name(), RegionEvaluator.evaluate(r, verdicts(r.name()))));
    }

    private List<TargetVerdict> verdicts(String region) {
        return topology.targets().get(region).stream().map(health::verdict).toList();
    }

    /**
     * What in {@code next} this engine cannot take while running: a region or service gone from it that
     * a standing override names (the operator lifts it first, so no intent is dropped unseen).
     */
    public List<String> reconfigureProblems(MeridianConfig next) {
        return overrides.list().stream().filter(o -> !o.region().isEmpty() && next.region(o.region()).isEmpty()
                        || !o.service().equals(ManualOverride.ALL) && next.service(o.service()).isEmpty())
                .map(o -> "the " + o.describe() + " names a region or service the new configuration removes: lift it first").toList();
    }

    /**
     * Takes a reloaded configuration: targets that stay keep their health and history, new ones start
     * UNKNOWN and serve once they have {@code rise} results, removed ones are forgotten; every answer is
     * decided again on the next tick, through the plan and its safety rules. The start-up wait is not
     * started again.
     *
     * @return the services no longer configured: their names are withdrawn by the caller
     */
    public List<String> reconfigure(MeridianConfig next, Instant now) {
        Topology t = Topology.of(next);
        health.reconfigure(next.health(), t.specs(), now);
        topology.specs().stream().filter(was -> !health.has(was.id())).forEach(was -> history.forget(was.id()));
        List<String> gone = topology.services().keySet().stream().filter(s -> !t.services().containsKey(s)).toList();
        config = next;
        topology = t;
        tracker.retain(t.regions().keySet());
        capacities.reconfigure(next);
        next.regions().forEach(r -> regions.computeIfAbsent(r.name(), n -> RegionEvaluator.evaluate(r, verdicts(n))));
        gone.forEach(s -> {
            desired.remove(s);
            states.remove(s);
            failbackNow.remove(s);
        });
        overridesChanged = true;
        return gone;
    }

    /** Takes one read of {@code region}'s capacity report ({@link CapacityUse}); true when a tick should follow (news or a move). */
    public boolean capacityReport(String region, CapacityUse.Report report) {
        return config.region(region).map(r -> capacities.report(r, report)).orElse(false);
    }

    /** What {@code region}'s capacity reports led to, if it has them. */
    public Optional<CapacityUse> capacityUse(String region) {
        return config.region(region).flatMap(capacities::use);
    }

    /** Feeds one probe result; returns the change of that vantage's view of the target, if any. */
    public Transition observe(Observation o) {
        if (o.ok()) {
            history.record(o.targetId(), o.vantage(), o.latency(), o.at());
        }
        return health.observe(o);
    }

    /**
     * A probe this vantage could not make for a reason of its own host (see {@link HealthBook#localError});
     * true when the vantage became impaired by it.
     */
    public boolean localError(String vantage, String why, Instant at) {
        return health.localError(vantage, why, at);
    }

    /** Decides health, regions, answers and the plan at {@code now}. Apply the plan, then call {@link #applied}. */
    public Decision tick(Instant now) {
        List<Event> events = new ArrayList<>();
        List<Event> lapsed = overrides.lapse(now);
        overridesChanged |= !lapsed.isEmpty();
        events.addAll(lapsed);
        events.addAll(capacities.takeEvents());
        for (HealthChange c : health.evaluate(now)) {
            events.add(new Event(c.at(), Event.Kind.valueOf(c.kind().name()), c.subject(), c.message()));
        }
        Set<String> changed = new HashSet<>(health.takeChangedRegions());
        changed.addAll(capacities.takeChanged());
        // Through the start-up wait every answer is decided again on each tick, and once more when it ends.
        if (firstTick) {
            startup = new StartupHold(now, startupWait); // counted from the first decision: probes start with it
        }
        boolean everything = firstTick || overridesChanged || !startupOver;
        firstTick = false;
        startupOver = !startup.active(now);
        for (RegionConfig r : config.regions()) {
            if (!everything && !changed.contains(r.name())) {
                continue; // no verdict of its targets moved: its status cannot have
            }
            tracker.update(r, verdicts(r.name()), now, events);
        }
        List<DesiredAnswers> wanted = new ArrayList<>();
        for (ServiceConfig s : config.services()) {
            DesiredAnswers d = desired.get(s.name());
            // Latency moves with every result, a ramping drain with time; others only when a region's status, capacity or an override does.
            if (d == null || everything || s.policy() == PolicyType.LATENCY || s.regions().stream().anyMatch(changed::contains)
                    || overrides.ramps(s.name(), now)) {
                d = desiredFor(s, overrides, now);
                desired.put(s.name(), d);
                // Keeping what is served publishes nothing, so only this says why (a fail-open start said so itself).
                if (d.reason().startsWith(StartupHold.KEEPING) && !d.failOpen() && heldAtStart.add(s.name())) {
                    events.add(new Event(now, Event.Kind.HELD, s.name(), s.name() + ": " + d.reason()));
                }
            }
            wanted.add(d);
        }
        overridesChanged = false;
        Plan plan = Planner.plan(wanted, context(overrides, failbackNow), now);
        holds.report(plan, topology.services().keySet(), now, events);
        // A failback asked for by hand is spent once its service has nothing left to do.
        failbackNow.removeIf(svc -> plan.actions().stream().noneMatch(a -> a.service().equals(svc))
                && desired.get(svc).sameAnswers(state(svc).published().orElse(null)));
        return new Decision(now, events, plan);
    }

    /**
     * What {@code s} should answer under {@code o} at {@code now}: its pin if it has one in service, else its
     * policy (held as served while, just after the start, the regions it ranks are still unknown).
     */
    DesiredAnswers desiredFor(ServiceConfig s, Overrides o, Instant now) {
        Set<String> drained = o.drainedFor(s.name());
        Set<String> ramping = o.rampingFor(s.name(), now);
        Optional<ManualOverride> pin = o.pin(s.name());
        if (pin.isPresent()) {
            RegionStatus st = regions.get(pin.get().region());
            if (st != null && st.up() && !drained.contains(pin.get().region())) {
                // While it ramps, the regions serving now keep what the pinned one cannot carry yet.
                List<RegionView> from = !pin.get().ramping(now) ? List.of() : state(s.name()).published().map(DesiredAnswers::regionsInService)
                        .orElse(Set.of()).stream().filter(r -> !r.equals(pin.get().region()) && s.regions().contains(r))
                        .map(r -> view(s, r, drained, ramping)).filter(RegionView::inService).toList();
                return RoutingPolicy.pinned(s, view(s, pin.get().region(), drained, ramping), from,
                        "failed over by hand to " + pin.get().region() + " by " + pin.get().actor() + ": " + pin.get().reason());
            }
        }
        List<RegionView> views = s.regions().stream().map(name -> view(s, name, drained, ramping)).toList();
        RoutingPolicy policy = RoutingPolicy.of(s.policy());
        DesiredAnswers d = startup.apply(s, views, policy, policy.decide(s, views, Optional.ofNullable(desired.get(s.name()))),
                state(s.name()).published(), drained, now);
        return pin.isEmpty() ? d
                : d.because(d.reason() + " (the manual failover to " + pin.get().region() + " is suspended while it is out of service)");
    }

    /** What automation would do now, and why (applied or not), without changing anything. */
    public Plan currentPlan(Instant now) {
        return preview(overrides, failbackNow, now);
    }

    /** The plan that would follow from {@code o} now, without changing anything. */
    Plan preview(Overrides o, Set<String> failbackAt, Instant now) {
        List<DesiredAnswers> wanted = config.services().stream().map(s -> desiredFor(s, o, now)).toList();
        return Planner.plan(wanted, context(o, failbackAt), now);
    }

    private RegionView view(ServiceConfig s, String region, Set<String> drained, Set<String> ramping) {
        Map<String, Double> latency = s.policy() == PolicyType.LATENCY ? health.latencyByVantage(topology.targets().get(region)) : Map.of();
        RegionConfig r = topology.regions().get(region);
        return new RegionView(r, regions.get(region), latency, drained.contains(region), capacities.of(r), ramping.contains(region));
    }

    private PlanContext context(Overrides o, Set<String> failbackAt) {
        Map<String, Boolean> inService = new HashMap<>();
        Map<String, Set<String>> drained = new HashMap<>();
        Set<String> paused = new HashSet<>();
        Map<String, String> pinned = new HashMap<>();
        for (String s : topology.services().keySet()) {
            drained.put(s, o.drainedFor(s));
            if (o.paused(s)) {
                paused.add(s);
            }
            o.pin(s).ifPresent(p -> pinned.put(s, p.region()));
        }
        Set<String> undecided = new HashSet<>();
        regions.forEach((name, st) -> {
            inService.put(name, st.up());
            if (st.undecided()) {
                undecided.add(name);
            }
        });
        return new PlanContext(topology.services(), states, config.automation(), inService, tracker.upSince, drained, paused, pinned,
                Set.copyOf(failbackAt), undecided);
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
            if (a.kind() == Action.Kind.MANUAL) {
                failbackNow.remove(a.service());
            }
            Event.Kind kind = a.answers().failOpen() ? Event.Kind.FAIL_OPEN : Event.Kind.valueOf(a.kind().name());
            events.add(new Event(now, kind, a.service(), a.reason()));
        }
        return events;
    }

    // ---- operator intent -------------------------------------------------------------------

    /**
     * Checks an operator's request against the safety rules and, unless it is a dry run, takes it.
     * Either way the outcome carries the plan that follows from it now; tick and apply to carry it out.
     */
    public Outcome submit(Request request, Instant now, boolean dryRun) {
        return new IntentDesk(this).submit(request, now, dryRun);
    }

    /** Replaces the standing overrides (a restart restoring what was persisted). */
    public void restoreOverrides(List<ManualOverride> saved) {
        Overrides o = new Overrides();
        saved.forEach(o::put);
        overrides = o;
        overridesChanged = true;
    }

    /**
     * Takes over what the previous leader knew of each service (what it published, its recent failovers
     * and cooldown), so the rate limits and cooldowns hold across a change of leader. Services not in
     * {@code saved} keep what this engine knows.
     */
    public void restoreStates(Map<String, ServiceState> saved) {
        saved.forEach((service, st) -> {
            if (topology.services().containsKey(service)) {
                states.put(service, st);
            }
        });
        overridesChanged = true; // every answer is planned again against what is now known to be published
    }

    public List<ManualOverride> overrides() {
        return overrides.list();
    }

    // package-private hooks for the IntentDesk

    Overrides overridesForChange() {
        return overrides;
    }

    void overridesChanged() {
        overridesChanged = true;
    }

    Set<String> failbackNow() {
        return failbackNow;
    }

    void clearCooldown(String service) {
        ServiceState st = state(service);
        states.put(service, new ServiceState(st.published(), st.failovers(), Optional.empty()));
    }

    Map<String, ServiceConfig> services() {
        return topology.services();
    }

    RegionStatus regionStatus(String region) {
        return regions.get(region);
    }

    // ---- views -----------------------------------------------------------------------------

    public HealthBook health() {
        return health;
    }

    /** The last hour of latency per target and vantage, for the dashboard. */
    public LatencyHistory history() {
        return history;
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

    public Optional<ManualOverride> pin(String service) {
        return overrides.pin(service);
    }

    public boolean paused(String service) {
        return overrides.paused(service);
    }

    public List<String> targetsOf(String region) {
        return topology.targets().getOrDefault(region, List.of());
    }
}
