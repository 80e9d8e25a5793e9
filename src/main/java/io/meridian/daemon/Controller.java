package io.meridian.daemon;

import io.meridian.api.AuditJson;
import io.meridian.api.StatusSource;
import io.meridian.clock.Clock;
import io.meridian.config.MeridianConfig;
import io.meridian.dns.DnsChange;
import io.meridian.dns.DnsProvider;
import io.meridian.act.Actuator;
import io.meridian.coord.Coordination;
import io.meridian.coord.NotLeaderException;
import io.meridian.coord.StaleTermException;
import io.meridian.coord.StateJson;
import io.meridian.coord.Term;
import io.meridian.coord.local.StateFiles;
import io.meridian.engine.Decision;
import io.meridian.engine.Engine;
import io.meridian.engine.Event;
import io.meridian.engine.ManualOverride;
import io.meridian.engine.Outcome;
import io.meridian.engine.Request;
import io.meridian.plan.Plan;
import io.meridian.policy.DesiredAnswers;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.meridian.health.Impairments;
import io.meridian.health.Observation;
import io.meridian.plan.Action;
import io.meridian.probe.ProbeResult;
import io.meridian.probe.ProbeTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Runs the pipeline around the decision {@link Engine}: feeds it probe results, ticks it on every
 * change of a target's state and on the automation tick, publishes the plan through the DNS
 * provider and logs one line per decision. Single-threaded by design: every method runs on the
 * controller's Vert.x event loop, so there are no locks.
 */
public final class Controller implements StatusSource {

    private static final Logger log = LoggerFactory.getLogger(Controller.class);

    private MeridianConfig config;
    private final Clock clock;
    private final Coordination coord;
    private final Actuator act;
    private List<DnsChange> lastDesired = List.of();
    private Future<Void> desiring = Future.succeededFuture();
    private final SharedView shared;
    private final ControllerMetrics metrics;
    private final Engine engine;
    private final Targets targets;
    private final Withdrawals withdrawals;
    private final StateFiles state;
    private final JournalFeed feed;
    private boolean applying;
    private boolean dirty;
    private final DriftRepair drift;
    private final ProviderBackoff backoff = new ProviderBackoff();
    private final Scaling scaling;
    private long ticks;

    /**
     * @param coord   leadership, the other vantages' reports and the shared state
     * @param act     the one place that acts: the leader publishes through it, every daemon serves through it
     * @param state   this daemon's own event history (the journal file) and live stream
     */
    public Controller(MeridianConfig config, Clock clock, Coordination coord, Actuator act, ControllerMetrics metrics, StateFiles state) {
        this.config = config;
        this.clock = clock;
        this.coord = coord;
        this.act = act;
        this.metrics = metrics;
        this.state = state;
        this.feed = new JournalFeed(state.lastSeq());
        this.engine = new Engine(config, clock.wallTime());
        engine.restoreOverrides(state.restored());
        this.shared = new SharedView(clock, coord, act, engine, this::tick);
        this.drift = new DriftRepair(clock, coord, act, engine, metrics, this::record);
        metrics.trackProvider(act.providerName(), () -> backoff.failures() == 0 ? 1.0 : 0.0); // meridian.dns.provider.up
        metrics.trackImpaired(config.vantage(), () -> engine.health().impairedVantages().containsKey(config.vantage()));
        this.targets = new Targets(config, metrics, engine);
        this.scaling = new Scaling(clock, () -> this.config, this::journal);
        this.withdrawals = new Withdrawals(act);
    }

    public List<ProbeTarget> targets() {
        return targets.list();
    }

    /** Feeds one probe result to the engine; ticks at once when this vantage's view of the target changed. */
    public void onResult(ProbeResult result) {
        ProbeTarget t = result.target();
        if (!targets.has(t.id())) {
            return; // a result for a target removed by a reload
        }
        metrics.probed(t, config.vantage(), result);
        if (result.reason().local()) {
            // Not evidence against the target: the vantage is set aside instead (and says so).
            if (engine.localError(config.vantage(), result.message(), result.at())) {
                tick();
            }
            return;
        }
        targets.result(result);
        Observation o = result.ok()
                ? new Observation(t.id(), config.vantage(), true, result.latency(), "ok", result.message(), result.at())
                : Observation.failure(t.id(), config.vantage(), result.latency(), result.reason().code(), result.message(), result.at());
        if (engine.observe(o).changed()) {
            coord.observations().changed();
            tick();
        }
    }

    /** What this daemon takes from the other daemons and gives them. */
    public SharedView shared() {
        return shared;
    }

    /**
     * One engine tick: log what changed; the leader publishes the plan. A follower decides nothing: its
     * embedded server serves the leader's answers from the shared state (and, until there are any, the
     * fail-open answer of its first tick). Re-runs after an apply if asked meanwhile.
     */
    public void tick() {
        ticks++;
        Instant now = clock.wallTime();
        Decision d = engine.tick(now);
        d.events().forEach(this::record);
        metrics.observe(engine, ready());
        coord.leadership().acting().ifPresent(withdrawals::retry);
        if (d.plan().isEmpty()) {
            return;
        }
        List<DnsChange> changes = d.plan().actions().stream().map(a -> Actuator.dnsChange(a.answers())).toList();
        Optional<Term> term = coord.leadership().acting();
        if (term.isEmpty()) {
            shared.serveInitial(changes);
            return;
        }
        shared.leads();
        // The desired answers (what every region's embedded server serves) follow health at once, even
        // while a remote provider is slow or backs off.
        desire(term.get(), changes, why(d.plan().actions()));
        if (applying || drift.repairing()) {
            dirty = true;
            return;
        }
        // While the provider fails, retry with backoff; each retry sends the latest plan, not a backlog.
        if (backoff.due(clock.monotonicNanos())) {
            apply(term.get(), d.plan().actions(), changes);
        }
    }

    /**
     * Takes a reloaded configuration (checked by the {@link Reloader}): the engine keeps what it knows of
     * the targets that stay, the meters of what was removed go, the leader withdraws the names of removed
     * services, and every answer is decided again.
     */
    void reconfigure(MeridianConfig next) {
        List<String> gone = engine.reconfigure(next, clock.wallTime());
        targets.update(config, next, gone);
        config = next;
        withdrawals.reconfigured(gone, next.services().stream().map(io.meridian.config.ServiceConfig::name).toList());
        tick();
    }

    /**
     * This daemon now leads under {@code term}: it takes over what the previous leader left in the shared
     * state (standing overrides, what each service publishes, its failovers and cooldown), then plans.
     */
    public Future<Void> lead(Term term) {
        return coord.shared().get("state/").map(saved -> {
            int states = shared.takeOver(saved);
            log.info("LEADER this daemon acts under {}: took over {} override(s) and the state of {} service(s)", term.describe(),
                    engine.overrides().size(), states);
            backoff.now();
            lastDesired = List.of(); // what this daemon wrote in an earlier term may have been replaced since
            tick();
            return null;
        });
    }

    private void record(Event e) {
        journal(new JsonObject().put("time", e.at().toString()).put("kind", e.kind().name()).put("subject", e.subject())
                .put("actor", e.kind() == Event.Kind.OPERATOR ? "operator" : "automation").put("message", e.message()));
        DecisionLog.write(log, e);
        if (e.kind() == Event.Kind.TARGET_STATE) {
            targets.changed(e.subject(), e.at());
        } else if (e.kind() == Event.Kind.FAIL_OPEN) {
            metrics.failOpen(e.subject());
        } else if (e.kind() == Event.Kind.FAILOVER) {
            metrics.failover(e.subject());
        }
    }

    /** Calls the regions' scale hooks through {@code hook} (see {@link Scaling}). */
    public void scaleHook(io.meridian.act.ScaleHook hook) {
        scaling.hook(hook);
    }

    /** Reads back what {@code provider} serves and repairs or reports drift: see {@link DriftRepair}. Skipped while a change is in flight. */
    public void reconcile(DnsProvider provider, boolean repair) {
        if (!applying) {
            drift.reconcile(provider, repair);
        }
    }

    private static String why(List<Action> actions) {
        return String.join(", ", actions.stream().map(a -> a.kind() + " " + a.service()).toList());
    }

    /** Writes {@code changes} as the desired answers unless they already are; one write at a time, in order. */
    private Future<Void> desire(Term term, List<DnsChange> changes, String why) {
        if (changes.equals(lastDesired)) {
            return desiring;
        }
        lastDesired = changes;
        desiring = desiring.transform(x -> act.desire(term, changes, Map.of(), why)).onFailure(err -> {
            if (changes.equals(lastDesired)) {
                lastDesired = List.of(); // not written: the next tick tries again
            }
            log.warn("DESIRED answers not written: {}", err.getMessage());
        });
        return desiring;
    }

    /** @param changes the DNS changes of {@code actions} */
    private void apply(Term term, List<Action> actions, List<DnsChange> changes) {
        applying = true;
        String why = why(actions);
        desire(term, changes, why).compose(v -> act.publish(term, changes, why)).onComplete(ar -> {
            applying = false;
            if (ar.succeeded()) {
                engine.applied(actions, clock.wallTime()).forEach(this::record);
                scaling.unplanned(actions);
                metrics.dnsChanges(act.providerName(), "ok", changes.size());
                int failed = backoff.succeeded();
                if (failed > 0) {
                    log.info("DNS provider {} takes changes again after {} failed attempt(s)", act.providerName(), failed);
                }
                saveState(term, actions);
            } else if (ar.cause() instanceof StaleTermException) {
                log.warn("PUBLISH not done: {}", ar.cause().getMessage()); // the leader of the new term publishes
            } else {
                long backoffMs = backoff.failed(ar.cause().getMessage(), clock.monotonicNanos());
                log.error("DNS provider {} refused {} change(s) (attempt {}), retrying the latest plan in {} ms: {}",
                        act.providerName(), changes.size(), backoff.failures(), backoffMs, backoff.error());
                metrics.dnsChanges(act.providerName(), "error", changes.size());
            }
            if (dirty) {
                dirty = false;
                tick();
            }
        });
    }

    /** What a next leader needs of the services just published: what they answer, their failovers and cooldown. */
    private void saveState(Term term, List<Action> actions) {
        Map<String, Optional<JsonObject>> values = new LinkedHashMap<>();
        actions.forEach(a -> values.put(StateJson.SERVICES + a.service(), Optional.of(StateJson.service(engine.state(a.service())))));
        act.saveState(term, values).onFailure(err -> log.warn("state of {} not saved for a next leader: {}", values.keySet(), err.getMessage()));
    }

    /**
     * Takes an operator's request: checked on a copy; unless a dry run, the overrides it leaves and then its
     * audit line are on disk before it is taken (a full disk changes nothing), then a tick applies the plan.
     * A refused request is audited too; a dry run changes nothing and is not.
     */
    public Future<Outcome> submit(Request request, boolean dryRun) {
        Instant now = clock.wallTime();
        Optional<Term> term = coord.leadership().acting();
        if (term.isEmpty() && !dryRun) {
            return Future.failedFuture(new NotLeaderException(config.vantage(), coord.leadership().leader()));
        }
        Map<String, DesiredAnswers> before = engine.published();
        Outcome outcome = engine.submit(request, now, true);
        if (dryRun) {
            return Future.succeededFuture(outcome);
        }
        List<ManualOverride> was = engine.overrides();
        Future<Void> saved = outcome.accepted() ? saveOverrides(term.get(), outcome.standing()) : Future.succeededFuture();
        return saved.compose(v -> state.append(AuditJson.entry(now, request, outcome, before)).onFailure(err -> {
            if (outcome.accepted()) {
                saveOverrides(term.get(), was); // it was not taken
            }
        })).onSuccess(written -> {
            engine.submit(request, now, false);
            scaling.planned(outcome.accepted() ? outcome.asks() : List.of(), "operator " + request.actor() + ": " + request.reason());
            log.info("OPERATOR {} by {}{}: {} ({}) because {}", outcome.accepted() ? "accepted" : "refused", request.actor(),
                    request.force() ? " (forced)" : "", request.intent(), outcome.message(), request.reason());
        }).onFailure(err -> log.error("OPERATOR {} by {} not taken: {}", request.intent(), request.actor(), err.getMessage())).map(written -> {
            feed.written(written);
            if (outcome.accepted()) {
                tick();
            }
            return outcome;
        });
    }

    private Future<Void> saveOverrides(Term term, List<ManualOverride> standing) {
        return act.saveState(term, Map.of(StateJson.OVERRIDES, Optional.of(StateJson.overrides(standing))));
    }

    /** What automation would do now, and why. */
    public Plan plan() {
        return engine.currentPlan(clock.wallTime());
    }

    /** Journal entries, newest first (see {@link io.meridian.coord.local.Journal#read}). */
    public Future<List<JsonObject>> events(Predicate<JsonObject> filter, int limit, long before) {
        return state.read(filter, limit, before);
    }

    /** Calls {@code listener} with every journal entry once it is on disk; returns how to stop. */
    public Runnable listen(Consumer<JsonObject> listener) {
        return feed.listen(listener);
    }

    @Override
    public long ticks() {
        return ticks;
    }

    @Override
    public Probed probed(String targetId) {
        return targets.probed(targetId, clock.wallTime());
    }

    @Override
    public Future<JsonObject> journal(JsonObject entry) {
        if (!entry.containsKey("time")) {
            entry.put("time", clock.wallTime().toString());
        }
        return state.append(entry).onSuccess(feed::written)
                .onFailure(err -> log.error("journal: {}", err.getMessage()));
    }

    @Override
    public MeridianConfig config() {
        return config;
    }

    @Override
    public Engine engine() {
        return engine;
    }

    @Override
    public Instant now() {
        return clock.wallTime();
    }

    @Override
    public boolean ready() {
        return targets.firstResults() && backoff.failures() == 0 && impairment().isEmpty() && coord.unavailable().isEmpty();
    }

    @Override
    public String readiness() {
        String dnsState = backoff.failures() == 0 ? "" : "; DNS provider " + act.providerName() + " failed " + backoff.failures()
                + " time(s) in a row, changes are queued: " + backoff.error();
        String local = impairment().map(i -> "; this vantage is impaired since " + i.since() + " (its reports are set aside): "
                + i.why()).orElse("");
        String store = coord.unavailable().map(u -> "; coordination store unavailable, no action is taken and the last answers are served: " + u)
                .orElse("");
        return targets.describe() + dnsState + local + store;
    }

    private Optional<Impairments.Impairment> impairment() {
        return Optional.ofNullable(engine.health().impairedVantages().get(config.vantage()));
    }

    @Override
    public JsonObject coordination() {
        return shared.coordination();
    }

    @Override
    public boolean leads() {
        return coord.leadership().acting().isPresent();
    }

    @Override
    public Optional<io.meridian.coord.Leadership.Leader> leader() {
        return coord.leadership().leader();
    }
}
