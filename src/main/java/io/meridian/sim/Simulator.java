package io.meridian.sim;

import io.meridian.clock.ManualClock;
import io.meridian.config.EndpointConfig;
import io.meridian.config.HealthCheckConfig;
import io.meridian.config.MeridianConfig;
import io.meridian.config.RegionConfig;
import io.meridian.engine.Decision;
import io.meridian.engine.Engine;
import io.meridian.engine.Event;
import io.meridian.health.Observation;
import io.meridian.policy.AnswerSet;
import io.meridian.policy.DesiredAnswers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeSet;

/**
 * Replays a {@link Scenario} through the real {@link Engine} on a {@link ManualClock}. Every
 * target is probed from every vantage on its check's interval (with its rechecks), results arrive
 * after their latency, the engine ticks on every change and every automation tick, and plans are
 * applied at once. Deterministic for a given seed.
 */
public final class Simulator {

    /** Time resolution of the replay. */
    static final Duration STEP = Duration.ofMillis(10);

    /** The decision timeline, the expectations that failed, and every event. */
    public record Result(List<String> timeline, List<String> failures, List<Event> events) {
    }

    private record Probe(String target, String region, String vantage, HealthCheckConfig check) {
    }

    private record Pending(long atMs, Observation observation) {
    }

    private final MeridianConfig config;
    private final Scenario scenario;
    private final Instant start = Instant.parse("2030-01-01T00:00:00Z");
    private final ManualClock clock = new ManualClock(start);
    private final Engine engine;
    private final List<String> timeline = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();

    private Simulator(MeridianConfig config, Scenario scenario) {
        this.config = config;
        this.scenario = scenario;
        this.engine = new Engine(config, start);
    }

    public static Result run(MeridianConfig config, Scenario scenario, long seed) {
        return new Simulator(config, scenario).run(new Random(seed));
    }

    private Result run(Random random) {
        List<Probe> probes = new ArrayList<>();
        var checks = config.checksByName();
        for (RegionConfig r : config.regions()) {
            for (EndpointConfig e : r.endpoints()) {
                for (String v : config.health().vantages()) {
                    probes.add(new Probe(e.id(r.name()), r.name(), v, checks.get(e.check())));
                }
            }
        }
        long[] next = new long[probes.size()];
        int[] failuresInRow = new int[probes.size()];
        for (int i = 0; i < next.length; i++) {
            next[i] = (long) (random.nextDouble() * probes.get(i).check().interval().toMillis());
        }
        PriorityQueue<Pending> inFlight = new PriorityQueue<>((a, b) -> Long.compare(a.atMs(), b.atMs()));
        long end = scenario.duration().toMillis();
        long tickMs = config.automation().tick().toMillis();
        int op = 0;
        int ex = 0;
        List<Scenario.OperatorStep> ops = scenario.operator().stream().sorted((a, b) -> a.at().compareTo(b.at())).toList();
        List<Scenario.Expectation> exps = scenario.expect().stream().sorted((a, b) -> a.at().compareTo(b.at())).toList();
        tick();
        for (long now = 0; now <= end; now += STEP.toMillis()) {
            clock.advance(Duration.ofMillis(now).minus(Duration.between(start, clock.wallTime())));
            while (op < ops.size() && ops.get(op).at().toMillis() <= now) {
                operator(ops.get(op++).command());
                tick();
            }
            boolean changed = false;
            for (int i = 0; i < next.length; i++) {
                if (next[i] > now) {
                    continue;
                }
                Probe p = probes.get(i);
                Scenario.WorldChange w = world(p, now);
                Duration latency = w.ok() ? w.latency() : w.reason().equals("timeout") ? p.check().timeout() : w.latency();
                boolean ok = w.ok() && latency.compareTo(p.check().timeout()) < 0;
                Instant at = start.plusMillis(now).plus(latency.compareTo(p.check().timeout()) < 0 ? latency : p.check().timeout());
                inFlight.add(new Pending(Duration.between(start, at).toMillis(), ok
                        ? Observation.success(p.target(), p.vantage(), latency, at)
                        : Observation.failure(p.target(), p.vantage(), latency, w.ok() ? "timeout" : w.reason(), "simulated", at)));
                failuresInRow[i] = ok ? 0 : failuresInRow[i] + 1;
                boolean recheck = !ok && p.check().recheck().isPresent() && failuresInRow[i] < p.check().fall();
                next[i] = now + (recheck ? p.check().recheck().get() : p.check().interval()).toMillis();
            }
            while (!inFlight.isEmpty() && inFlight.peek().atMs() <= now) {
                changed |= engine.observe(inFlight.poll().observation()).changed();
            }
            if (changed || now % tickMs == 0) {
                tick();
            }
            while (ex < exps.size() && exps.get(ex).at().toMillis() <= now) {
                check(exps.get(ex++));
            }
        }
        return new Result(timeline, failures, events);
    }

    /** The last world change that applies to this probe at {@code now}; healthy when none. */
    private Scenario.WorldChange world(Probe p, long now) {
        Scenario.WorldChange current = null;
        for (Scenario.WorldChange w : scenario.world()) {
            if (w.at().toMillis() <= now && w.region().map(p.region()::equals).orElse(true)
                    && w.target().map(p.target()::equals).orElse(true) && w.vantage().map(p.vantage()::equals).orElse(true)
                    && (current == null || w.at().compareTo(current.at()) >= 0)) {
                current = w;
            }
        }
        return current != null ? current
                : new Scenario.WorldChange(Duration.ZERO, Optional.empty(), Optional.empty(), Optional.empty(), true, "ok", Duration.ofMillis(20));
    }

    private void tick() {
        Instant now = clock.wallTime();
        Decision d = engine.tick(now);
        d.events().forEach(this::record);
        engine.applied(d.plan().actions(), now).forEach(this::record);
    }

    private void operator(String command) {
        List<String> words = Arrays.asList(command.trim().split("\\s+"));
        Instant now = clock.wallTime();
        Optional<String> second = words.size() > 1 ? Optional.of(words.get(1)) : Optional.empty();
        Optional<String> third = words.size() > 2 ? Optional.of(words.get(2)) : Optional.empty();
        Event e = switch (words.get(0)) {
            case "drain" -> io.meridian.engine.ScriptedIntents.drain(engine, second.orElseThrow(() -> bad(command)), third, now);
            case "undrain" -> io.meridian.engine.ScriptedIntents.undrain(engine, second.orElseThrow(() -> bad(command)), third, now);
            case "pause" -> io.meridian.engine.ScriptedIntents.pause(engine, second, now);
            case "resume" -> io.meridian.engine.ScriptedIntents.resume(engine, second, now);
            case "ack" -> io.meridian.engine.ScriptedIntents.acknowledge(engine, second.orElseThrow(() -> bad(command)), now);
            default -> throw bad(command);
        };
        record(e);
    }

    private static IllegalArgumentException bad(String command) {
        return new IllegalArgumentException("operator command '" + command
                + "' must be: drain REGION [SERVICE] | undrain REGION [SERVICE] | pause [SERVICE] | resume [SERVICE] | ack SERVICE");
    }

    private void check(Scenario.Expectation e) {
        DesiredAnswers p = engine.published().get(e.service());
        String at = "at " + offset(start.plus(e.at())) + " " + e.service();
        if (p == null) {
            failures.add(at + ": nothing published");
            return;
        }
        TreeSet<String> got = new TreeSet<>(p.sets().stream().map(AnswerSet::label).toList());
        e.regions().ifPresent(want -> {
            if (!got.equals(new TreeSet<>(want))) {
                failures.add(at + ": answers " + p.describe() + " but expected regions " + want);
            }
        });
        e.weights().ifPresent(want -> {
            java.util.Map<String, Integer> weights = new java.util.TreeMap<>();
            p.sets().forEach(set -> weights.put(set.label(), set.weight()));
            if (!weights.equals(new java.util.TreeMap<>(want))) {
                failures.add(at + ": answers " + p.describe() + " but expected weights " + new java.util.TreeMap<>(want));
            }
        });
        e.failOpen().filter(f -> f != p.failOpen()).ifPresent(f -> failures.add(at + ": fail-open was " + p.failOpen() + " but expected " + f));
        timeline.add(String.format("%10s  %-20s %s: %s", offset(start.plus(e.at())), "EXPECT", e.service(),
                failures.stream().anyMatch(f -> f.startsWith(at)) ? "FAILED" : "ok (" + p.describe() + ")"));
    }

    private void record(Event e) {
        events.add(e);
        timeline.add(String.format("%10s  %-20s %s", offset(e.at()), e.kind(), e.message()));
    }

    private String offset(Instant t) {
        long ms = Duration.between(start, t).toMillis();
        return String.format("+%d.%03ds", ms / 1000, ms % 1000);
    }
}
