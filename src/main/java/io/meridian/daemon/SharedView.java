package io.meridian.daemon;

import io.meridian.act.Actuator;
import io.meridian.clock.Clock;
import io.meridian.coord.Coordination;
import io.meridian.coord.Leadership;
import io.meridian.coord.StateJson;
import io.meridian.coord.Term;
import io.meridian.coord.VantageReport;
import io.meridian.dns.DnsChange;
import io.meridian.engine.Engine;
import io.meridian.policy.AnswerSet;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What this daemon takes from the others and gives them: the other vantages' reports into the engine
 * (stamped with when they arrived here), this vantage's report out, the desired answers the embedded
 * server serves, and the leader's service state and overrides mirrored on a follower. Runs on the
 * controller's event loop, like the controller.
 */
public final class SharedView {

    private static final Logger log = LoggerFactory.getLogger(SharedView.class);

    private final Clock clock;
    private final Coordination coord;
    private final Actuator act;
    private final Engine engine;
    private final Set<String> fromStore = new HashSet<>();
    private final Map<String, Long> lastReportNanos = new HashMap<>();
    private final Runnable tick;
    private boolean initialServed;

    /** @param tick the controller's tick, run after another vantage's report changed the views */
    SharedView(Clock clock, Coordination coord, Actuator act, Engine engine, Runnable tick) {
        this.tick = tick;
        this.clock = clock;
        this.coord = coord;
        this.act = act;
        this.engine = engine;
    }

    /**
     * Another vantage's report arrived (empty: its lease expired, it no longer votes). Its views are
     * stamped with when they arrived here: freshness is this daemon's judgement, not the sender's clock.
     */
    public void onReport(String vantage, Optional<VantageReport> report) {
        if (vantage.equals(engine.config().vantage())) {
            return;
        }
        Instant now = clock.wallTime();
        if (report.isEmpty()) {
            log.warn("VANTAGE {} stopped reporting (its lease expired): its views no longer vote", vantage);
            engine.health().forget(vantage);
            lastReportNanos.remove(vantage);
            tick.run();
            return;
        }
        if (!lastReportNanos.containsKey(vantage)) {
            log.info("VANTAGE {} reports: its views vote from now on", vantage);
        }
        lastReportNanos.put(vantage, clock.monotonicNanos());
        report.get().targets().forEach((id, v) -> {
            if (engine.health().has(id)) {
                engine.health().adopt(vantage, id, v, now);
                if (v.lastOk()) {
                    engine.history().record(id, vantage, v.latency(), now); // its latest probe, as of this report
                }
            }
        });
        tick.run();
    }

    /** This vantage's view of every target, for the others. */
    public VantageReport report(String api) {
        return new VantageReport(engine.config().vantage(), api, engine.health().report(engine.config().vantage()));
    }

    /** Names resolve from the first second: the fail-open answer, for each name the shared state has none for yet. */
    void serveInitial(List<DnsChange> changes) {
        if (initialServed) {
            return;
        }
        initialServed = true;
        List<DnsChange> missing = changes.stream().filter(c -> !fromStore.contains(c.name())).toList();
        if (!missing.isEmpty()) {
            act.serve(missing).onFailure(err -> log.error("embedded DNS refused the initial answers: {}", err.getMessage()));
        }
    }

    /** The leader publishes from its first tick: nothing initial to serve. */
    void leads() {
        initialServed = true;
    }

    /** A desired answer from the shared state (written by the leader, maybe this daemon): the embedded server serves it. */
    public void onDesired(String key, Optional<JsonObject> value) {
        String name = key.substring(StateJson.DESIRED.length());
        fromStore.add(name);
        DnsChange c = value.map(StateJson::change).orElse(new DnsChange(name, java.time.Duration.ZERO, List.of()));
        log.info("SERVE {} -> {} (the desired answer from the shared state)", name, c.sets().stream().map(r -> r.id()
                + AnswerSet.shown(r.addresses())).toList());
        act.serve(List.of(c)).onFailure(err -> log.error("embedded DNS refused the answers of {}: {}", name, err.getMessage()));
    }

    /**
     * The leader's state of a service or its standing overrides, as it wrote them: a follower mirrors
     * them, so its status, its dry runs and (the day it leads) its safety rules start from the same place.
     */
    public void onSharedState(String key, Optional<JsonObject> value) {
        if (coord.leadership().acting().isPresent() || value.isEmpty()) {
            return; // the leader's own writes: it already knows
        }
        if (key.equals(StateJson.OVERRIDES)) {
            engine.restoreOverrides(StateJson.overrides(value.get()));
        } else if (key.startsWith(StateJson.SERVICES)) {
            engine.restoreStates(Map.of(key.substring(StateJson.SERVICES.length()), StateJson.service(value.get())));
        }
    }

    /**
     * What a new leader takes over from the shared state ({@code state/…}): the standing overrides and
     * each service's state (what it publishes, its failovers and cooldown); returns how many services.
     */
    int takeOver(Map<String, JsonObject> saved) {
        Optional.ofNullable(saved.get(StateJson.OVERRIDES)).ifPresent(o -> engine.restoreOverrides(StateJson.overrides(o)));
        Map<String, io.meridian.plan.ServiceState> states = new HashMap<>();
        saved.forEach((k, v) -> {
            if (k.startsWith(StateJson.SERVICES)) {
                states.put(k.substring(StateJson.SERVICES.length()), StateJson.service(v));
            }
        });
        engine.restoreStates(states);
        return states.size();
    }

    /** For {@code /v1/status}: see {@link io.meridian.api.StatusSource#coordination}. */
    JsonObject coordination() {
        Optional<Term> acting = coord.leadership().acting();
        Optional<Leadership.Leader> leader = coord.leadership().leader();
        JsonObject vantages = new JsonObject();
        long now = clock.monotonicNanos();
        Set<String> setAside = new HashSet<>(engine.health().partitionedVantages());
        setAside.addAll(engine.health().impairedVantages().keySet());
        for (String v : engine.health().vantages()) {
            Long last = v.equals(engine.config().vantage()) ? Long.valueOf(now) : lastReportNanos.get(v);
            boolean fresh = last != null && now - last < engine.config().health().staleness().toNanos();
            vantages.put(v, new JsonObject().put("self", v.equals(engine.config().vantage()))
                    .put("last_report_ms_ago", last == null ? null : (now - last) / 1_000_000)
                    .put("votes", fresh && !setAside.contains(v)).put("set_aside", setAside.contains(v)));
        }
        return new JsonObject().put("type", coord.kind()).put("self", engine.config().vantage()).put("acting", acting.isPresent())
                .put("leader", leader.map(Leadership.Leader::name).orElse(null))
                .put("leader_api", leader.map(Leadership.Leader::api).orElse(null))
                .put("term", leader.map(l -> new JsonObject().put("epoch", l.term().epoch()).put("token", l.term().token())).orElse(null))
                .put("store", coord.unavailable().orElse("ok"))
                .put("refused_actions", act.refused())
                .put("vantages", vantages);
    }
}
