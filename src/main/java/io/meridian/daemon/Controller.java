package io.meridian.daemon;

import io.meridian.api.StatusSource;
import io.meridian.clock.Clock;
import io.meridian.config.MeridianConfig;
import io.meridian.dns.DnsChange;
import io.meridian.dns.DnsProvider;
import io.meridian.dns.RecordSet;
import io.meridian.engine.Decision;
import io.meridian.engine.Engine;
import io.meridian.engine.Event;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private final ControllerMetrics metrics;
    private final Engine engine;
    private final Map<String, ProbeTarget> targets = new LinkedHashMap<>();
    private final Set<String> withFirstResult = new HashSet<>();
    private boolean applying;
    private boolean dirty;

    public Controller(MeridianConfig config, Clock clock, DnsProvider dns, ControllerMetrics metrics) {
        this.config = config;
        this.clock = clock;
        this.dns = dns;
        this.metrics = metrics;
        this.engine = new Engine(config, clock.wallTime());
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
        withFirstResult.add(t.id());
        Observation o = result.ok()
                ? Observation.success(t.id(), config.vantage(), result.latency(), result.at())
                : Observation.failure(t.id(), config.vantage(), result.latency(), result.reason().code(), result.message(), result.at());
        if (engine.observe(o).changed()) {
            tick();
        }
    }

    /** One engine tick: log what changed, publish the plan. Re-runs after an apply if asked meanwhile. */
    public void tick() {
        if (applying) {
            dirty = true;
            return;
        }
        Instant now = clock.wallTime();
        Decision d = engine.tick(now);
        d.events().forEach(this::record);
        if (!d.plan().isEmpty()) {
            apply(d.plan().actions());
        }
    }

    private void record(Event e) {
        switch (e.kind()) {
            case HELD, FAIL_OPEN, VANTAGE_PARTITIONED -> log.warn("{} {}", e.kind(), e.message());
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

    private void apply(List<Action> actions) {
        applying = true;
        List<DnsChange> changes = new ArrayList<>();
        for (Action a : actions) {
            Map<String, List<RecordSet>> byClient = new LinkedHashMap<>();
            a.answers().byClient().forEach((region, sets) -> byClient.put(region, recordSets(sets)));
            changes.add(new DnsChange(a.service(), a.answers().ttl(), recordSets(a.answers().sets()), byClient));
        }
        dns.apply(changes).onComplete(ar -> {
            applying = false;
            if (ar.succeeded()) {
                engine.applied(actions, clock.wallTime()).forEach(this::record);
                metrics.dnsChanges(dns.name(), "ok", changes.size());
            } else {
                log.error("DNS provider {} refused {} change(s), will retry on the next tick: {}",
                        dns.name(), changes.size(), ar.cause().getMessage());
                metrics.dnsChanges(dns.name(), "error", changes.size());
            }
            if (dirty) {
                dirty = false;
                tick();
            }
        });
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
        return withFirstResult.size() == targets.size();
    }

    @Override
    public String readiness() {
        return withFirstResult.size() + "/" + targets.size() + " targets have a first probe result";
    }
}
