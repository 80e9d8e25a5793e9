package io.meridian.daemon;

import io.meridian.api.StatusSource;
import io.meridian.clock.Clock;
import io.meridian.config.EndpointConfig;
import io.meridian.config.MeridianConfig;
import io.meridian.config.RegionConfig;
import io.meridian.config.ServiceConfig;
import io.meridian.dns.DnsChange;
import io.meridian.dns.DnsProvider;
import io.meridian.dns.RecordSet;
import io.meridian.health.HealthStep;
import io.meridian.health.Observation;
import io.meridian.health.RegionEvaluator;
import io.meridian.health.RegionStatus;
import io.meridian.health.TargetHealth;
import io.meridian.plan.Action;
import io.meridian.plan.Plan;
import io.meridian.plan.Planner;
import io.meridian.policy.DesiredAnswers;
import io.meridian.policy.RegionView;
import io.meridian.policy.RoutingPolicy;
import io.meridian.probe.ProbeResult;
import io.meridian.probe.ProbeTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Owns the daemon's mutable state — target health, region status, published answers — and runs
 * the pipeline on every probe result that changes a target's state. Single-threaded by design:
 * every method runs on the controller's Vert.x event loop, so there are no locks.
 */
public final class Controller implements StatusSource {

    private static final Logger log = LoggerFactory.getLogger(Controller.class);

    private final MeridianConfig config;
    private final Clock clock;
    private final DnsProvider dns;
    private final ControllerMetrics metrics;
    private final Map<String, ProbeTarget> targets = new LinkedHashMap<>();
    private final Map<String, TargetHealth> health = new LinkedHashMap<>();
    private final Map<String, RegionStatus> regions = new LinkedHashMap<>();
    private final Map<String, DesiredAnswers> desired = new LinkedHashMap<>();
    private final Map<String, DesiredAnswers> published = new LinkedHashMap<>();
    private int withFirstResult;
    private boolean applying;
    private boolean dirty;

    public Controller(MeridianConfig config, Clock clock, DnsProvider dns, ControllerMetrics metrics) {
        this.config = config;
        this.clock = clock;
        this.dns = dns;
        this.metrics = metrics;
        var checks = config.checksByName();
        for (RegionConfig r : config.regions()) {
            for (EndpointConfig e : r.endpoints()) {
                ProbeTarget t = new ProbeTarget(e.id(r.name()), r.name(), e.address(), e.port(), checks.get(e.check()));
                targets.put(t.id(), t);
                health.put(t.id(), TargetHealth.initial(t.id(), clock.wallTime()));
                metrics.trackTarget(t, () -> health.get(t.id()));
            }
        }
    }

    public List<ProbeTarget> targets() {
        return List.copyOf(targets.values());
    }

    /** Feeds one probe result through health; re-plans when a target changed state. */
    public void onResult(ProbeResult result) {
        ProbeTarget t = result.target();
        metrics.probed(t, config.vantage(), result);
        TargetHealth before = health.get(t.id());
        if (before == null) {
            return; // a result for a target removed by a reload
        }
        if (before.last().isEmpty()) {
            withFirstResult++;
        }
        Observation o = result.ok()
                ? Observation.success(t.id(), config.vantage(), result.latency(), result.at())
                : Observation.failure(t.id(), config.vantage(), result.latency(), result.reason().code(), result.message(), result.at());
        HealthStep step = before.observe(o, t.check().rise(), t.check().fall());
        health.put(t.id(), step.health());
        if (step.transition().changed()) {
            log.info("target {} {} -> {}: {}", t.id(), step.transition().from(), step.transition().to(), step.transition().reason());
            metrics.transition(t, step.transition().to());
            evaluate();
        }
    }

    /** Runs region health → policy → plan and applies the plan. Re-runs after an apply if state moved meanwhile. */
    public void evaluate() {
        if (applying) {
            dirty = true;
            return;
        }
        List<DesiredAnswers> wanted = new ArrayList<>();
        for (RegionConfig r : config.regions()) {
            RegionStatus status = RegionEvaluator.evaluate(r, health);
            RegionStatus previous = regions.put(r.name(), status);
            if (previous != null && previous.up() != status.up()) {
                log.info("region {} is now {}: {}", r.name(), status.up() ? "UP" : "DOWN", status.reason());
            }
        }
        for (ServiceConfig s : config.services()) {
            List<RegionView> views = s.regions().stream()
                    .map(name -> new RegionView(config.region(name).orElseThrow(), regions.get(name))).toList();
            DesiredAnswers d = RoutingPolicy.of(s.policy()).decide(s, views);
            desired.put(s.name(), d);
            wanted.add(d);
        }
        Plan plan = Planner.plan(wanted, published);
        plan.held().forEach(h -> log.warn("held back: {}", h));
        if (plan.isEmpty()) {
            return;
        }
        apply(plan);
    }

    private void apply(Plan plan) {
        applying = true;
        List<DnsChange> changes = new ArrayList<>();
        for (Action a : plan.actions()) {
            log.info("publish {}", a.reason());
            if (a.answers().failOpen()) {
                metrics.failOpen(a.service());
            }
            changes.add(new DnsChange(a.service(), a.answers().ttl(), a.answers().sets().stream()
                    .map(s -> new RecordSet(s.label(), s.weight(), s.addresses())).toList()));
        }
        dns.apply(changes).onComplete(ar -> {
            applying = false;
            if (ar.succeeded()) {
                plan.actions().forEach(a -> published.put(a.service(), a.answers()));
                metrics.dnsChanges(dns.name(), "ok", changes.size());
            } else {
                log.error("DNS provider {} refused {} change(s), will retry on the next evaluation: {}",
                        dns.name(), changes.size(), ar.cause().getMessage());
                metrics.dnsChanges(dns.name(), "error", changes.size());
            }
            if (dirty) {
                dirty = false;
                evaluate();
            }
        });
    }

    @Override
    public MeridianConfig config() {
        return config;
    }

    @Override
    public Map<String, TargetHealth> health() {
        return Map.copyOf(health);
    }

    @Override
    public Map<String, RegionStatus> regions() {
        return Map.copyOf(regions);
    }

    @Override
    public Map<String, DesiredAnswers> published() {
        return Map.copyOf(published);
    }

    @Override
    public Map<String, DesiredAnswers> desired() {
        return Map.copyOf(desired);
    }

    @Override
    public boolean ready() {
        return withFirstResult == targets.size();
    }

    @Override
    public String readiness() {
        return withFirstResult + "/" + targets.size() + " targets have a first probe result";
    }

    public Clock clock() {
        return clock;
    }
}
