package io.meridian.engine;

import io.meridian.config.ApiConfig;
import io.meridian.config.AutomationSettings;
import io.meridian.config.CheckType;
import io.meridian.config.DnsConfig;
import io.meridian.config.EndpointConfig;
import io.meridian.config.HealthCheckConfig;
import io.meridian.config.HealthSettings;
import io.meridian.config.HostPort;
import io.meridian.config.MeridianConfig;
import io.meridian.config.PolicyType;
import io.meridian.config.Quorum;
import io.meridian.config.RegionConfig;
import io.meridian.config.ServiceConfig;
import io.meridian.config.SoaConfig;
import io.meridian.health.Observation;
import io.meridian.health.RegionStatus;
import io.meridian.health.TargetHealth;
import io.meridian.health.TargetState;
import io.meridian.plan.Action;
import io.meridian.policy.DesiredAnswers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thousands of random traces (random config, outages, flaky targets, cut-off and silent vantages,
 * operator drains and pauses) through the real engine, checking the safety rules after every tick.
 * Seeded: a failure names its seed; rerun one with {@code -Dmeridian.seed=N -Dmeridian.traces=1}.
 */
class SafetyPropertiesTest {

    private static final int TRACES = Integer.getInteger("meridian.traces", 10_000);
    private static final long FIRST_SEED = Long.getLong("meridian.seed", 20261127L);
    private static final int STEPS = 60;

    @Test
    void safetyRulesHoldOnEveryRandomTrace() {
        for (int i = 0; i < TRACES; i++) {
            long seed = FIRST_SEED + i;
            Trace trace = new Trace(seed);
            try {
                trace.run();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("trace with seed " + seed + " broke a safety rule (rerun: mvn test "
                        + "-Dtest=SafetyPropertiesTest -Dmeridian.seed=" + seed + " -Dmeridian.traces=1): " + e.getMessage()
                        + "\nlast events:\n" + String.join("\n", trace.log.subList(Math.max(0, trace.log.size() - 40), trace.log.size())), e);
            }
        }
    }

    private static final class Trace {
        final Random rnd;
        final MeridianConfig config;
        final Engine engine;
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        final Map<String, boolean[]> down = new HashMap<>();      // target -> down as seen per vantage
        final Set<String> silent = new HashSet<>();               // vantages that stopped reporting
        final Map<String, List<Instant>> failovers = new HashMap<>();
        final Map<String, Instant> upSince = new HashMap<>();
        final Set<String> everDown = new HashSet<>();
        final List<String> log = new ArrayList<>();

        Trace(long seed) {
            rnd = new Random(seed);
            config = randomConfig();
            engine = new Engine(config, now);
            config.regions().forEach(r -> r.endpoints().forEach(e ->
                    down.put(e.id(r.name()), new boolean[config.health().vantages().size()])));
        }

        MeridianConfig randomConfig() {
            List<String> vantages = new ArrayList<>();
            int nv = 1 + rnd.nextInt(4);
            for (int i = 0; i < nv; i++) {
                vantages.add("v" + i);
            }
            Quorum quorum = switch (rnd.nextInt(4)) {
                case 0 -> Quorum.majority();
                case 1 -> new Quorum(Quorum.Kind.ANY, 0);
                case 2 -> new Quorum(Quorum.Kind.ALL, 0);
                default -> new Quorum(Quorum.Kind.COUNT, 1 + rnd.nextInt(nv));
            };
            HealthSettings health = new HealthSettings(vantages, quorum, Duration.ofSeconds(3 + rnd.nextInt(8)), 0.9,
                    Duration.ofSeconds(rnd.nextInt(6)), 16, 0.3);
            AutomationSettings automation = new AutomationSettings(1 + rnd.nextInt(3), Duration.ofSeconds(30 + rnd.nextInt(90)),
                    Duration.ofSeconds(rnd.nextInt(20)), rnd.nextInt(4) == 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(rnd.nextInt(30))),
                    10 + rnd.nextInt(90), Duration.ofSeconds(1));
            HealthCheckConfig check = new HealthCheckConfig("web", CheckType.HTTP, "/", Optional.empty(), Set.of(200), Optional.empty(),
                    false, Duration.ofSeconds(1), Duration.ofMillis(500), 1 + rnd.nextInt(3), 1 + rnd.nextInt(3),
                    Optional.of(Duration.ofMillis(200)), 2, 2, Optional.empty());
            List<RegionConfig> regions = new ArrayList<>();
            int nr = 2 + rnd.nextInt(3);
            for (int r = 0; r < nr; r++) {
                List<EndpointConfig> eps = new ArrayList<>();
                int ne = 1 + rnd.nextInt(3);
                for (int e = 0; e < ne; e++) {
                    eps.add(new EndpointConfig("10.0." + r + "." + (e + 1), 80, "web"));
                }
                regions.add(new RegionConfig("r" + r, 1 + rnd.nextInt(3), rnd.nextInt(4) * 20, rnd.nextInt(3) == 0 ? 0.5 : 0, eps));
            }
            List<ServiceConfig> services = new ArrayList<>();
            int ns = 1 + rnd.nextInt(3);
            for (int s = 0; s < ns; s++) {
                PolicyType policy = PolicyType.values()[rnd.nextInt(PolicyType.values().length)];
                List<String> names = regions.stream().map(RegionConfig::name).filter(n -> rnd.nextInt(4) > 0).toList();
                if (names.isEmpty()) {
                    names = List.of("r0");
                }
                int min = policy == PolicyType.FAILOVER ? 1 : 1 + rnd.nextInt(names.size());
                services.add(new ServiceConfig("s" + s + ".example.test", policy, Duration.ofSeconds(30), names, Duration.ofMillis(20), min));
            }
            SoaConfig soa = SoaConfig.defaults("example.test");
            return new MeridianConfig("v0", new ApiConfig(new HostPort("127.0.0.1", 0)),
                    new DnsConfig("example.test", new HostPort("127.0.0.1", 0), soa), services, regions, List.of(check),
                    health, automation, List.of());
        }

        void run() {
            List<String> vantages = config.health().vantages();
            List<String> targets = new ArrayList<>(down.keySet());
            targets.sort(null);
            for (int step = 0; step < STEPS; step++) {
                mutateWorld(targets, vantages);
                operator();
                for (String t : targets) {
                    for (int v = 0; v < vantages.size(); v++) {
                        if (silent.contains(vantages.get(v))) {
                            continue;
                        }
                        boolean failed = down.get(t)[v] || rnd.nextInt(20) == 0; // 5 % random probe failures
                        engine.observe(failed
                                ? Observation.failure(t, vantages.get(v), Duration.ofMillis(1), "connect_refused", "x", now)
                                : Observation.success(t, vantages.get(v), Duration.ofMillis(rnd.nextInt(300)), now));
                    }
                }
                Set<String> setAside = engine.health().partitionedVantages();
                Decision d = engine.tick(now);
                d.events().forEach(e -> log.add(e.toString()));
                checkQuorum(d, setAside);
                trackRegions();
                for (Action a : d.plan().actions()) {
                    checkAction(a);
                }
                engine.applied(d.plan().actions(), now).forEach(e -> log.add(e.toString()));
                checkPublished();
                now = now.plusSeconds(1);
            }
        }

        void mutateWorld(List<String> targets, List<String> vantages) {
            int roll = rnd.nextInt(10);
            if (roll == 0) { // a region goes down or up, seen from everywhere
                String region = "r" + rnd.nextInt(config.regions().size());
                boolean isDown = rnd.nextBoolean();
                targets.stream().filter(t -> t.startsWith(region + "/")).forEach(t -> java.util.Arrays.fill(down.get(t), isDown));
            } else if (roll == 1) { // one target flips from one vantage
                String t = targets.get(rnd.nextInt(targets.size()));
                int v = rnd.nextInt(vantages.size());
                down.get(t)[v] = !down.get(t)[v];
            } else if (roll == 2) { // a vantage is cut off (sees everything down) or comes back
                int v = rnd.nextInt(vantages.size());
                boolean cut = rnd.nextBoolean();
                targets.forEach(t -> down.get(t)[v] = cut);
            } else if (roll == 3) { // a vantage goes silent or speaks again
                String v = vantages.get(rnd.nextInt(vantages.size()));
                if (!silent.remove(v)) {
                    silent.add(v);
                }
            }
        }

        void operator() {
            if (rnd.nextInt(15) != 0) {
                return;
            }
            String region = "r" + rnd.nextInt(config.regions().size());
            Event e = switch (rnd.nextInt(5)) {
                case 0 -> ScriptedIntents.drain(engine, region, Optional.empty(), now);
                case 1 -> ScriptedIntents.undrain(engine, region, Optional.empty(), now);
                case 2 -> ScriptedIntents.pause(engine, Optional.empty(), now);
                case 3 -> ScriptedIntents.resume(engine, Optional.empty(), now);
                default -> ScriptedIntents.acknowledge(engine, config.services().get(0).name(), now);
            };
            log.add(e.toString());
        }

        /** Rule 3: a target goes DOWN only on a quorum of fresh, trusted vantage reports. */
        void checkQuorum(Decision d, Set<String> setAside) {
            int required = config.health().quorum().required(config.health().vantages().size());
            Instant freshAfter = now.minus(config.health().staleness());
            for (Event e : d.events()) {
                if (e.kind() == Event.Kind.TARGET_STATE && engine.health().verdict(e.subject()).state() == TargetState.DOWN) {
                    long votes = config.health().vantages().stream()
                            .filter(v -> !setAside.contains(v))
                            .map(v -> engine.health().view(e.subject(), v))
                            .filter(o -> o.isPresent() && o.get().state() == TargetState.DOWN)
                            .map(Optional::get).map(TargetHealth::last)
                            .filter(l -> l.isPresent() && !l.get().at().isBefore(freshAfter)).count();
                    assertThat(votes).as("fresh DOWN votes for " + e.subject()).isGreaterThanOrEqualTo(required);
                }
            }
        }

        void trackRegions() {
            for (Map.Entry<String, RegionStatus> r : engine.regions().entrySet()) {
                if (r.getValue().up()) {
                    upSince.putIfAbsent(r.getKey(), now);
                } else {
                    upSince.remove(r.getKey());
                    boolean anyDown = engine.targetsOf(r.getKey()).stream()
                            .anyMatch(t -> engine.health().verdict(t).state() == TargetState.DOWN);
                    if (anyDown) {
                        everDown.add(r.getKey());
                    }
                }
            }
        }

        void checkAction(Action a) {
            AutomationSettings limits = config.automation();
            DesiredAnswers before = engine.published().get(a.service());
            assertThat(a.answers().isEmpty()).as("rule 1: empty answer for " + a.service()).isFalse();
            if (a.kind() == Action.Kind.FAILOVER) {
                List<Instant> times = failovers.computeIfAbsent(a.service(), s -> new ArrayList<>());
                times.add(now);
                long inWindow = times.stream().filter(t -> t.isAfter(now.minus(limits.failoverWindow()))).count();
                assertThat(inWindow).as("rule 4: failovers of " + a.service() + " in the window").isLessThanOrEqualTo(limits.maxFailovers());
            }
            if (a.kind() == Action.Kind.FAILBACK && everDown.contains(a.answers().primary())) {
                assertThat(limits.failbackAfter()).as("rule 4: failback with failback: manual").isPresent();
                Duration upFor = Duration.between(upSince.get(a.answers().primary()), now);
                assertThat(upFor).as("rule 4: failback to " + a.answers().primary() + " before the hold")
                        .isGreaterThanOrEqualTo(limits.failbackAfter().get());
            }
            ServiceConfig svc = config.service(a.service()).orElseThrow();
            if (before != null && !before.failOpen() && !a.answers().failOpen()) {
                int after = a.answers().regionsInService().size();
                Set<String> keptOrDrained = new HashSet<>(a.answers().regionsInService());
                keptOrDrained.addAll(engine.drainedFor(a.service()));
                boolean onlyDrainedLeft = keptOrDrained.containsAll(before.regionsInService());
                assertThat(after >= svc.minRegionsInService() || after >= before.regionsInService().size() || onlyDrainedLeft)
                        .as("safety assertion: " + a.service() + " from " + before.describe() + " to " + a.answers().describe()).isTrue();
            }
        }

        void checkPublished() {
            for (Map.Entry<String, DesiredAnswers> p : engine.published().entrySet()) {
                assertThat(p.getValue().isEmpty()).as("rule 1: published empty answer for " + p.getKey()).isFalse();
                if (!p.getValue().failOpen() && !engine.paused(p.getKey())) {
                    Set<String> drained = engine.drainedFor(p.getKey());
                    Set<String> answered = new HashSet<>(p.getValue().regionsInService());
                    answered.retainAll(drained);
                    assertThat(answered).as("drained regions answered by " + p.getKey() + ": " + p.getValue().describe()).isEmpty();
                }
            }
        }
    }
}
