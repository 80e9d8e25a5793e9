package io.meridian.daemon;

import io.meridian.api.AuditJson;
import io.meridian.api.StatusSource;
import io.meridian.clock.Clock;
import io.meridian.config.MeridianConfig;
import io.meridian.dns.DnsChange;
import io.meridian.dns.DnsProvider;
import io.meridian.dns.RecordSet;
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
import io.meridian.health.HealthBook;
import io.meridian.health.Observation;
import io.meridian.health.TargetVerdict;
import io.meridian.plan.Action;
import io.meridian.policy.AnswerSet;
import io.meridian.probe.ProbeResult;
import io.meridian.probe.ProbeTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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

    private final MeridianConfig config;
    private final Clock clock;
    private final DnsProvider dns;
    private final DnsProvider local;
    private List<DnsChange> lastLocal = List.of();
    private final ControllerMetrics metrics;
    private final Engine engine;
    private final Map<String, ProbeTarget> targets = new LinkedHashMap<>();
    private final Set<String> withFirstResult = new HashSet<>();
    private final StateFiles state;
    private final List<Consumer<JsonObject>> listeners = new ArrayList<>();
    private boolean applying;
    private boolean dirty;
    private final Map<String, Set<String>> knownDrift = new HashMap<>();
    private final Map<String, ProbeResult> lastResults = new HashMap<>();
    private int dnsFailures;
    private String dnsError = "";
    private long retryAt;

    /** Longest wait between two attempts at a failing DNS provider. */
    static final java.time.Duration MAX_BACKOFF = java.time.Duration.ofSeconds(30);

    /**
     * @param dns   where every plan is published (all providers)
     * @param local the embedded server, when {@code dns} also holds remote providers: it takes each plan
     *              at once, so its answers follow health even while a remote provider is slow or down
     */
    public Controller(MeridianConfig config, Clock clock, DnsProvider dns, DnsProvider local, ControllerMetrics metrics, StateFiles state) {
        this.config = config;
        this.clock = clock;
        this.dns = dns;
        this.local = local;
        this.metrics = metrics;
        this.state = state;
        this.engine = new Engine(config, clock.wallTime());
        engine.restoreOverrides(state.restored());
        metrics.trackProvider(dns.name(), this::providerUp);
        metrics.trackImpaired(config.vantage(), () -> engine.health().impairedVantages().containsKey(config.vantage()));
        var checks = config.checksByName();
        config.regions().forEach(r -> r.endpoints().forEach(e -> {
            ProbeTarget t = new ProbeTarget(e.id(r.name()), r.name(), e.address(), e.port(), checks.get(e.check()));
            targets.put(t.id(), t);
            metrics.trackTarget(t, () -> engine.health().verdict(t.id()).state());
        }));
    }

    public List<ProbeTarget> targets() {
        return List.copyOf(targets.values());
    }

    /** Feeds one probe result to the engine; ticks at once when this vantage's view of the target changed. */
    public void onResult(ProbeResult result) {
        ProbeTarget t = result.target();
        metrics.probed(t, config.vantage(), result);
        if (!targets.containsKey(t.id())) {
            return; // a result for a target removed by a reload
        }
        if (result.reason().local()) {
            // Not evidence against the target: the vantage is set aside instead (and says so).
            if (engine.localError(config.vantage(), result.message(), result.at())) {
                tick();
            }
            return;
        }
        lastResults.put(t.id(), result);
        withFirstResult.add(t.id());
        Observation o = result.ok()
                ? new Observation(t.id(), config.vantage(), true, result.latency(), "ok", result.message(), result.at())
                : Observation.failure(t.id(), config.vantage(), result.latency(), result.reason().code(), result.message(), result.at());
        if (engine.observe(o).changed()) {
            tick();
        }
    }

    /** One engine tick: log what changed, publish the plan. Re-runs after an apply if asked meanwhile. */
    public void tick() {
        Instant now = clock.wallTime();
        Decision d = engine.tick(now);
        d.events().forEach(this::record);
        if (d.plan().isEmpty()) {
            return;
        }
        List<DnsChange> changes = d.plan().actions().stream().map(a -> change(a.answers())).toList();
        publishLocally(changes);
        if (applying) {
            dirty = true;
            return;
        }
        // While the provider fails, retry with backoff; each retry sends the latest plan, not a backlog.
        if (clock.monotonicNanos() >= retryAt) {
            apply(d.plan().actions(), changes);
        }
    }

    /** The embedded server takes the plan now; the engine counts it published once every provider has it. */
    private void publishLocally(List<DnsChange> changes) {
        if (local == dns) {
            return;
        }
        if (!changes.equals(lastLocal)) {
            lastLocal = changes;
            local.apply(changes).onFailure(err -> log.error("embedded DNS refused the plan: {}", err.getMessage()));
        }
    }

    private void record(Event e) {
        journal(new JsonObject().put("time", e.at().toString()).put("kind", e.kind().name()).put("subject", e.subject())
                .put("actor", e.kind() == Event.Kind.OPERATOR ? "operator" : "automation").put("message", e.message()));
        switch (e.kind()) {
            case HELD, FAIL_OPEN, VANTAGE_PARTITIONED, VANTAGE_IMPAIRED, DRIFT -> log.warn("{} {}", e.kind(), e.message());
            default -> log.info("{} {}", e.kind(), e.message());
        }
        if (e.kind() == Event.Kind.TARGET_STATE) {
            TargetVerdict v = engine.health().verdict(e.subject());
            metrics.transition(v.region(), v.state());
        } else if (e.kind() == Event.Kind.FAIL_OPEN) {
            metrics.failOpen(e.subject());
        } else if (e.kind() == Event.Kind.FAILOVER) {
            metrics.failover(e.subject());
        }
    }

    /**
     * Reads back what {@code provider} (one of those published to) serves for every published answer;
     * records that differ (edited by hand) are reported and, when {@code repair}, published to it
     * again. Skipped while a change is in flight.
     */
    public void reconcile(DnsProvider provider, boolean repair) {
        Map<String, DesiredAnswers> published = engine.published();
        if (applying || published.isEmpty()) {
            return;
        }
        List<DnsChange> changes = published.values().stream().map(Controller::change).toList();
        provider.drift(changes).onSuccess(drifted -> {
            // Said once per name while it stays drifted (observe mode would otherwise repeat it every round).
            Set<String> known = knownDrift.computeIfAbsent(provider.name(), p -> new HashSet<>());
            known.retainAll(drifted.stream().map(DnsChange::name).toList());
            for (DnsChange c : drifted) {
                if (!known.add(c.name()) && !repair) {
                    continue;
                }
                metrics.drift(provider.name(), repair);
                record(new Event(clock.wallTime(), Event.Kind.DRIFT, c.name(), "records of " + c.name() + " at " + provider.name()
                        + " differ from what Meridian published" + (repair ? "; publishing them again" : " (observe mode: left as they are)")));
            }
            if (repair && !drifted.isEmpty() && !applying) {
                applying = true;
                provider.apply(drifted).onComplete(ar -> {
                    applying = false;
                    if (ar.failed()) {
                        log.error("DRIFT repair at {} failed: {}", provider.name(), ar.cause().getMessage());
                    }
                });
            }
        }).onFailure(err -> log.warn("DRIFT check at {} failed: {}", provider.name(), err.getMessage()));
    }

    private static DnsChange change(DesiredAnswers answers) {
        Map<String, List<RecordSet>> byClient = new LinkedHashMap<>();
        answers.byClient().forEach((region, sets) -> byClient.put(region, recordSets(sets)));
        return new DnsChange(answers.service(), answers.ttl(), recordSets(answers.sets()), byClient);
    }

    /** @param changes the DNS changes of {@code actions} */
    private void apply(List<Action> actions, List<DnsChange> changes) {
        applying = true;
        dns.apply(changes).onComplete(ar -> {
            applying = false;
            if (ar.succeeded()) {
                engine.applied(actions, clock.wallTime()).forEach(this::record);
                metrics.dnsChanges(dns.name(), "ok", changes.size());
                if (dnsFailures > 0) {
                    log.info("DNS provider {} takes changes again after {} failed attempt(s)", dns.name(), dnsFailures);
                }
                dnsFailures = 0;
                dnsError = "";
                retryAt = 0;
            } else {
                dnsFailures++;
                long backoffMs = Math.min(MAX_BACKOFF.toMillis(), 1000L << Math.min(dnsFailures - 1, 6));
                retryAt = clock.monotonicNanos() + backoffMs * 1_000_000;
                dnsError = ar.cause().getMessage();
                log.error("DNS provider {} refused {} change(s) (attempt {}), retrying the latest plan in {} ms: {}",
                        dns.name(), changes.size(), dnsFailures, backoffMs, dnsError);
                metrics.dnsChanges(dns.name(), "error", changes.size());
            }
            if (dirty) {
                dirty = false;
                tick();
            }
        });
    }

    /**
     * Takes an operator's request: checks it, and unless it is a dry run persists the overrides,
     * writes the audit line (both on disk before answering), then ticks so the plan is applied.
     * A refused request is audited too; a dry run changes nothing and is not.
     */
    public Future<Outcome> submit(Request request, boolean dryRun) {
        Instant now = clock.wallTime();
        Map<String, DesiredAnswers> before = engine.published();
        Outcome outcome = engine.submit(request, now, dryRun);
        if (dryRun) {
            return Future.succeededFuture(outcome);
        }
        log.info("OPERATOR {} by {}{}: {} ({}) because {}", outcome.accepted() ? "accepted" : "refused", request.actor(),
                request.force() ? " (forced)" : "", request.intent(), outcome.message(), request.reason());
        List<ManualOverride> standing = engine.overrides();
        JsonObject audit = AuditJson.entry(now, request, outcome, before);
        return state.persist(standing, outcome.accepted()).compose(v -> state.append(audit)).map(written -> {
            listeners.forEach(l -> l.accept(written));
            if (outcome.accepted()) {
                tick();
            }
            return outcome;
        });
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
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public Map<String, Long> lastPhases(String targetId) {
        ProbeResult last = lastResults.get(targetId);
        if (last == null) {
            return Map.of();
        }
        Map<String, Long> phases = new LinkedHashMap<>();
        last.phases().forEach(p -> phases.put(p.name(), p.at().toMillis()));
        phases.put("total", last.latency().toMillis());
        return phases;
    }

    @Override
    public Future<JsonObject> journal(JsonObject entry) {
        if (!entry.containsKey("time")) {
            entry.put("time", clock.wallTime().toString());
        }
        return state.append(entry).onSuccess(written -> listeners.forEach(l -> l.accept(written)))
                .onFailure(err -> log.error("journal: {}", err.getMessage()));
    }

    private static List<RecordSet> recordSets(List<AnswerSet> sets) {
        return sets.stream().map(s -> new RecordSet(s.label(), s.weight(), s.addresses())).toList();
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
    public boolean ready() {
        return withFirstResult.size() == targets.size() && dnsFailures == 0 && impairment().isEmpty();
    }

    @Override
    public String readiness() {
        String probes = withFirstResult.size() + "/" + targets.size() + " targets have a first probe result";
        String dnsState = dnsFailures == 0 ? "" : "; DNS provider " + dns.name() + " failed " + dnsFailures
                + " time(s) in a row, changes are queued: " + dnsError;
        String local = impairment().map(i -> "; this vantage is impaired since " + i.since() + " (its reports are set aside): "
                + i.why()).orElse("");
        return probes + dnsState + local;
    }

    private Optional<HealthBook.Impairment> impairment() {
        return Optional.ofNullable(engine.health().impairedVantages().get(config.vantage()));
    }

    /** 1 while the DNS provider takes changes, 0 while it fails (for {@code meridian.dns.provider.up}). */
    double providerUp() {
        return dnsFailures == 0 ? 1 : 0;
    }
}
