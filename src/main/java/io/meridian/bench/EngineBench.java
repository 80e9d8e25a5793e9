package io.meridian.bench;

import io.meridian.clock.Clock;
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
import io.meridian.engine.Decision;
import io.meridian.engine.Engine;
import io.meridian.health.Observation;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * Times one decision-engine tick on a large configuration: every service has its own regions and
 * endpoints, every endpoint is reported by every vantage before each tick, and a few percent of
 * the targets (churn) flip between up and down before each tick so that verdicts, policies and plans
 * really move. A third of the services use each policy.
 */
final class EngineBench {

    private EngineBench() {
    }

    static void run(int services, int regionsPerService, int endpointsPerRegion, int vantages, int ticks, double churnPercent,
                    PrintWriter out) {
        List<String> vantageNames = new ArrayList<>();
        for (int v = 0; v < vantages; v++) {
            vantageNames.add("v" + v);
        }
        HealthCheckConfig check = new HealthCheckConfig("web", CheckType.HTTP, "/", Optional.empty(), Set.of(200),
                Optional.empty(), false, Duration.ofSeconds(1), Duration.ofMillis(500), 2, 2,
                Optional.of(Duration.ofMillis(200)), 3, 3, Optional.empty());
        List<RegionConfig> regions = new ArrayList<>();
        List<ServiceConfig> svcs = new ArrayList<>();
        PolicyType[] policies = PolicyType.values();
        for (int s = 0; s < services; s++) {
            List<String> names = new ArrayList<>();
            for (int r = 0; r < regionsPerService; r++) {
                String name = "s" + s + "-r" + r;
                names.add(name);
                List<EndpointConfig> eps = new ArrayList<>();
                for (int e = 0; e < endpointsPerRegion; e++) {
                    eps.add(new EndpointConfig("10." + (s / 250) + "." + (s % 250) + "." + (r * endpointsPerRegion + e + 1), 80, "web"));
                }
                regions.add(new RegionConfig(name, r + 1, 10 + r, 0, eps));
            }
            svcs.add(new ServiceConfig("svc" + s + ".bench.test", policies[s % policies.length], Duration.ofSeconds(30), names,
                    Duration.ofMillis(20), 1));
        }
        SoaConfig soa = new SoaConfig("ns1.bench.test", "hostmaster.bench.test", Duration.ofHours(1), Duration.ofMinutes(10),
                Duration.ofDays(14), Duration.ofSeconds(30), Duration.ofHours(1));
        MeridianConfig config = new MeridianConfig("v0", new ApiConfig(new HostPort("127.0.0.1", 0)),
                new DnsConfig("bench.test", new HostPort("127.0.0.1", 0), soa), svcs, regions, List.of(check),
                new HealthSettings(vantageNames, Quorum.majority(), Duration.ofSeconds(30), 0.9, Duration.ZERO, 32, 0.3),
                new AutomationSettings(1000, Duration.ofHours(1), Duration.ZERO, Optional.of(Duration.ZERO), 255, Duration.ofSeconds(1)),
                List.of());
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        Engine engine = new Engine(config, now);
        List<String> targets = new ArrayList<>();
        regions.forEach(r -> r.endpoints().forEach(e -> targets.add(e.id(r.name()))));
        Random rnd = new Random(42);
        boolean[] down = new boolean[targets.size()];
        int targetCount = targets.size();
        out.printf("engine bench: %d services x %d regions x %d endpoints = %d targets, x %d vantages = %d views, %d ticks, "
                        + "%.1f %% of targets flip up/down before each tick%n",
                services, regionsPerService, endpointsPerRegion, targetCount, vantages, targetCount * vantages, ticks, churnPercent);
        out.flush();
        Clock clock = Clock.system();
        int warmup = 5;
        double[] tickMs = new double[ticks];
        long observeNanos = 0;
        int actions = 0;
        for (int t = -warmup; t < ticks; t++) {
            now = now.plusSeconds(1);
            for (int i = 0; i < down.length; i++) {
                if (rnd.nextDouble() * 100 < churnPercent) {
                    down[i] = !down[i];
                }
            }
            long o0 = clock.monotonicNanos();
            for (int i = 0; i < targetCount; i++) {
                for (String v : vantageNames) {
                    engine.observe(down[i]
                            ? Observation.failure(targets.get(i), v, Duration.ofMillis(1), "connect_refused", "x", now)
                            : Observation.success(targets.get(i), v, Duration.ofMillis(5 + (i % 40)), now));
                }
            }
            long t0 = clock.monotonicNanos();
            Decision d = engine.tick(now);
            long t1 = clock.monotonicNanos();
            engine.applied(d.plan().actions(), now);
            if (t >= 0) {
                tickMs[t] = (t1 - t0) / 1e6;
                observeNanos += t0 - o0;
                actions += d.plan().actions().size();
            }
        }
        Arrays.sort(tickMs);
        out.printf("tick: min %.1f ms, median %.1f ms, p90 %.1f ms, max %.1f ms (target < 50 ms)%n",
                tickMs[0], tickMs[ticks / 2], tickMs[(int) (ticks * 0.9)], tickMs[ticks - 1]);
        out.printf("observe: %.0f ns per observation (%d per tick); %.1f actions per tick%n",
                observeNanos / (double) ticks / (targetCount * vantages), targetCount * vantages, actions / (double) ticks);
        Runtime rt = Runtime.getRuntime();
        System.gc();
        out.printf("heap after GC: %d MiB (engine holds %d verdicts)%n", (rt.totalMemory() - rt.freeMemory()) >> 20,
                engine.health().verdicts().size());
        out.flush();
    }
}
