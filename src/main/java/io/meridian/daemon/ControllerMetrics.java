package io.meridian.daemon;

import io.meridian.engine.Engine;
import io.meridian.health.TargetState;
import io.meridian.policy.DesiredAnswers;
import io.meridian.probe.ProbeResult;
import io.meridian.probe.ProbeTarget;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The controller's meters: {@code meridian.probe.duration}, {@code meridian.target.up},
 * {@code meridian.health.transitions}, {@code meridian.dns.changes}, {@code meridian.failovers}, {@code meridian.failopen},
 * {@code meridian.vantage.impaired}, and for alerts {@code meridian.ready}, {@code meridian.region.up},
 * {@code meridian.service.failopen}, {@code meridian.automation.paused}, {@code meridian.service.load.unplaced}.
 * Tag values are bounded by the configuration (regions, targets, checks) and fixed enums.
 */
public final class ControllerMetrics {

    private final MeterRegistry registry;
    private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    // Written on the controller's loop after each tick, read by scrapes: the engine itself is not shared.
    private final Map<String, Double> regionUp = new ConcurrentHashMap<>();
    private final Map<String, Double> failOpen = new ConcurrentHashMap<>();
    private final Map<String, Double> paused = new ConcurrentHashMap<>();
    private final Map<String, Double> unplaced = new ConcurrentHashMap<>();
    private volatile double ready;

    public ControllerMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("meridian.ready", () -> ready).description("1 when /readyz says ready, else 0").register(registry);
    }

    /** The state alerts watch, as the engine has it after a tick. */
    void observe(Engine engine, boolean isReady) {
        ready = isReady ? 1 : 0;
        engine.regions().forEach((name, st) -> put(regionUp, "meridian.region.up", "region", name, st.up(),
                "1 while the region is up (enough endpoints serving), 0 while down or not yet known"));
        Map<String, DesiredAnswers> published = engine.published();
        engine.config().services().forEach(s -> {
            DesiredAnswers p = published.get(s.name());
            put(failOpen, "meridian.service.failopen", "service", s.name(), p != null && p.failOpen(),
                    "1 while the service answers every endpoint because no region is in service");
            put(paused, "meridian.automation.paused", "service", s.name(), engine.paused(s.name()),
                    "1 while automation is paused for the service (changes are planned, not applied)");
            if (s.load().isPresent()) {
                put(unplaced, "meridian.service.load.unplaced", "service", s.name(), p == null ? 0 : p.load().unplaced(),
                        "the part of the service's declared load beyond what its regions in service may carry (served anyway)");
            }
        });
    }

    private void put(Map<String, Double> values, String meter, String tag, String key, boolean on, String description) {
        put(values, meter, tag, key, on ? 1.0 : 0.0, description);
    }

    private void put(Map<String, Double> values, String meter, String tag, String key, double value, String description) {
        if (values.put(key, value) == null) {
            Gauge.builder(meter, values, v -> v.getOrDefault(key, Double.NaN)).description(description).tags(tag, key).register(registry);
        }
    }

    void trackTarget(ProbeTarget t, Supplier<TargetState> state) {
        Gauge.builder("meridian.target.up", () -> {
                    TargetState st = state.get(); // null once a reload removed it, until its gauge is removed
                    return st == TargetState.UP || st == TargetState.DEGRADED ? 1.0 : st == TargetState.DOWN ? 0.0 : Double.NaN;
                })
                .description("1 when the target is UP or DEGRADED, 0 when DOWN, NaN while UNKNOWN")
                .tags("region", t.region(), "target", t.id())
                .register(registry);
    }

    /**
     * A reload removed these: every meter tagged with one of them goes, so no series of a thing that no
     * longer exists lingers in the scrape.
     *
     * @param gone tag key ({@code region}, {@code target}, {@code check}, {@code service}) to the values removed
     */
    void forget(Map<String, java.util.Set<String>> gone) {
        java.util.List<io.micrometer.core.instrument.Meter> meters = registry.getMeters().stream()
                .filter(m -> gone.entrySet().stream().anyMatch(g -> {
                    String value = m.getId().getTag(g.getKey());
                    return value != null && g.getValue().contains(value);
                })).toList();
        meters.forEach(registry::remove);
        timers.values().removeIf(meters::contains);
        gone.getOrDefault("region", java.util.Set.of()).forEach(regionUp::remove);
        gone.getOrDefault("service", java.util.Set.of()).forEach(k -> {
            failOpen.remove(k);
            paused.remove(k);
            unplaced.remove(k);
        });
    }

    void trackImpaired(String vantage, java.util.function.BooleanSupplier impaired) {
        Gauge.builder("meridian.vantage.impaired", () -> impaired.getAsBoolean() ? 1.0 : 0.0)
                .description("1 while this vantage's probes fail for local reasons (descriptors, ports, memory, a stalled loop) and its reports are set aside")
                .tags("vantage", vantage).register(registry);
    }

    void drift(String provider, boolean repaired) {
        Counter.builder("meridian.dns.drift")
                .description("published names whose records at the provider were found changed")
                .tags("provider", provider, "action", repaired ? "repaired" : "reported")
                .register(registry).increment();
    }

    void trackProvider(String provider, Supplier<Double> up) {
        Gauge.builder("meridian.dns.provider.up", up).description("1 while the DNS provider takes changes, 0 while they are queued")
                .tags("provider", provider).register(registry);
    }

    /** Every probe result: its timers are looked up once per tag set, not built again for each result. */
    void probed(ProbeTarget t, String vantage, ProbeResult r) {
        timers.computeIfAbsent(t.region() + '\0' + vantage + '\0' + t.check().name() + '\0' + r.reason().code(),
                k -> Timer.builder("meridian.probe.duration")
                        .description("probe latency, from start to outcome")
                        .tags("region", t.region(), "vantage", vantage, "check", t.check().name(), "outcome", r.reason().code())
                        .register(registry))
                .record(r.latency());
        for (ProbeResult.Phase phase : r.phases()) {
            timers.computeIfAbsent(t.check().name() + '\0' + phase.name(), k -> Timer.builder("meridian.probe.phase")
                            .description("time from the start of a probe to a phase: connect, tls, first_byte")
                            .tags("check", t.check().name(), "phase", phase.name())
                            .register(registry))
                    .record(phase.at());
        }
    }

    void transition(String region, TargetState to) {
        Counter.builder("meridian.health.transitions")
                .description("target state changes")
                .tags("region", region, "to", to.name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }

    void failover(String service) {
        Counter.builder("meridian.failovers")
                .description("automatic failovers applied")
                .tags("service", service)
                .register(registry).increment();
    }

    void dnsChanges(String provider, String outcome, int n) {
        Counter.builder("meridian.dns.changes")
                .description("record changes sent to the DNS provider")
                .tags("provider", provider, "outcome", outcome)
                .register(registry).increment(n);
    }

    void failOpen(String service) {
        Counter.builder("meridian.failopen")
                .description("times a service failed open because no region was up (alert on this)")
                .tags("service", service)
                .register(registry).increment();
    }
}
