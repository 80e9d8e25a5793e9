package io.meridian.daemon;

import io.meridian.api.StatusSource;
import io.meridian.config.HealthCheckConfig;
import io.meridian.config.MeridianConfig;
import io.meridian.config.RegionConfig;
import io.meridian.engine.Engine;
import io.meridian.health.TargetVerdict;
import io.meridian.probe.ProbeResult;
import io.meridian.probe.ProbeTarget;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The targets this daemon probes, from the configuration in force, with each one's latest result, its
 * {@code meridian.target.up} gauge and how often its verdict changed in the last hour. Readiness waits for
 * a first result of every target there was at start; one added by a reload joins the answers when it is
 * up and does not make the daemon unready.
 */
final class Targets {

    static final Duration FLAP_WINDOW = Duration.ofHours(1);
    static final int MAX_FLAPS = 1_000;

    private final ControllerMetrics metrics;
    private final Engine engine;
    private final Map<String, ProbeTarget> all = new LinkedHashMap<>();
    private final Set<String> awaitingFirst = new HashSet<>();
    private final Map<String, ProbeResult> last = new HashMap<>();
    private final Set<String> judged = new HashSet<>();
    /** When each target's verdict changed in the last hour (at most the newest {@link #MAX_FLAPS}). */
    private final Map<String, ArrayDeque<Instant>> flaps = new HashMap<>();

    Targets(MeridianConfig config, ControllerMetrics metrics, Engine engine) {
        this.metrics = metrics;
        this.engine = engine;
        update(config, config, List.of());
        awaitingFirst.addAll(all.keySet());
    }

    /**
     * Takes the targets of {@code config} (a reload from {@code was}); the meters of every target,
     * region, check and service ({@code goneServices}) it removed go with them.
     */
    void update(MeridianConfig was, MeridianConfig config, List<String> goneServices) {
        Map<String, HealthCheckConfig> checks = config.checksByName();
        Map<String, ProbeTarget> next = new LinkedHashMap<>();
        config.regions().forEach(r -> r.endpoints().forEach(e -> {
            ProbeTarget t = new ProbeTarget(e.id(r.name()), r.name(), e.address(), e.port(), checks.get(e.check()));
            next.put(t.id(), t);
        }));
        List<ProbeTarget> removed = all.values().stream().filter(t -> !next.containsKey(t.id())).toList();
        removed.forEach(t -> {
            awaitingFirst.remove(t.id());
            last.remove(t.id());
            judged.remove(t.id());
            flaps.remove(t.id());
        });
        next.values().stream().filter(t -> !all.containsKey(t.id()))
                .forEach(t -> metrics.trackTarget(t, () -> engine.health().has(t.id()) ? engine.health().verdict(t.id()).state() : null));
        all.clear();
        all.putAll(next);
        if (!removed.isEmpty() || !goneServices.isEmpty()) {
            metrics.forget(Map.of("target", Set.copyOf(removed.stream().map(ProbeTarget::id).toList()), "service", Set.copyOf(goneServices),
                    "region", missing(was.regions(), config.regions(), RegionConfig::name),
                    "check", missing(was.checks(), config.checks(), HealthCheckConfig::name)));
        }
    }

    private static <T> Set<String> missing(List<T> was, List<T> now, Function<T, String> name) {
        Set<String> out = new HashSet<>(was.stream().map(name).toList());
        now.stream().map(name).forEach(out::remove);
        return out;
    }

    boolean has(String id) {
        return all.containsKey(id);
    }

    void result(ProbeResult r) {
        last.put(r.target().id(), r);
        awaitingFirst.remove(r.target().id());
    }

    ProbeResult last(String id) {
        return last.get(id);
    }

    /**
     * The target's verdict changed at {@code at}: counted by region and new state, and as a flap unless it
     * is its first change (out of UNKNOWN at start).
     */
    void changed(String id, Instant at) {
        TargetVerdict v = engine.health().verdict(id);
        metrics.transition(v.region(), v.state());
        if (all.containsKey(id) && !judged.add(id)) {
            ArrayDeque<Instant> c = flaps.computeIfAbsent(id, k -> new ArrayDeque<>());
            c.addLast(at);
            if (c.size() > MAX_FLAPS) {
                c.pollFirst();
            }
        }
    }

    /** The phases of the target's last probe, and how often its verdict changed in the hour before {@code now}. */
    StatusSource.Probed probed(String id, Instant now) {
        ProbeResult r = last.get(id);
        ArrayDeque<Instant> c = flaps.get(id);
        while (c != null && !c.isEmpty() && c.peekFirst().isBefore(now.minus(FLAP_WINDOW))) {
            c.pollFirst();
        }
        return new StatusSource.Probed(r == null ? Map.of() : r.breakdownMillis(), c == null ? 0 : c.size());
    }

    List<ProbeTarget> list() {
        return List.copyOf(all.values());
    }

    boolean firstResults() {
        return awaitingFirst.isEmpty();
    }

    String describe() {
        return last.size() + "/" + all.size() + " targets have a first probe result";
    }
}
