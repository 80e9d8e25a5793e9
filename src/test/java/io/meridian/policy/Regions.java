package io.meridian.policy;

import io.meridian.config.EndpointConfig;
import io.meridian.config.PolicyType;
import io.meridian.config.RegionConfig;
import io.meridian.config.ServiceConfig;
import io.meridian.config.ServiceLoad;
import io.meridian.health.RegionStatus;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/** Builds region views for policy tests: region N has addresses 10.0.N.1..k. */
final class Regions {

    private Regions() {
    }

    static ServiceConfig service(PolicyType policy, String... regions) {
        return new ServiceConfig("app.example.test", policy, Duration.ofSeconds(30), List.of(regions));
    }

    /** @param upCount how many of its {@code size} endpoints are up; the region is up when upCount > 0 */
    static RegionView region(String name, int n, int priority, int weight, int size, int upCount) {
        List<EndpointConfig> endpoints = IntStream.rangeClosed(1, size)
                .mapToObj(i -> new EndpointConfig("10.0." + n + "." + i, 80, "web")).toList();
        List<String> up = endpoints.stream().limit(upCount).map(EndpointConfig::address).toList();
        return new RegionView(new RegionConfig(name, priority, weight, 0, endpoints),
                new RegionStatus(name, upCount > 0, false, upCount, size, up, upCount + "/" + size + " endpoints up"));
    }

    /** A service that declares {@code load} in total, with {@code headroom}. */
    static ServiceConfig loaded(PolicyType policy, double load, double headroom, String... regions) {
        return new ServiceConfig("app.example.test", policy, Duration.ofSeconds(30), List.of(regions), Duration.ofMillis(20), 1,
                java.util.Optional.of(new ServiceLoad(java.util.Optional.of(load), java.util.Map.of(), headroom)));
    }

    /** {@code r} with a declared capacity. */
    static RegionView capacity(RegionView r, double capacity) {
        RegionConfig c = r.config();
        return new RegionView(new RegionConfig(c.name(), c.priority(), c.weight(), c.minUpFraction(), c.endpoints(), c.databases(),
                java.util.Optional.of(capacity)), r.status(), r.latencyByVantage(), r.drained());
    }

    /** {@code r} degraded (slow but serving). */
    static RegionView degraded(RegionView r) {
        RegionStatus s = r.status();
        return new RegionView(r.config(), new RegionStatus(s.region(), s.up(), true, s.upCount(), s.total(), s.upAddresses(), s.reason()),
                r.latencyByVantage(), r.drained());
    }

    /** A region none of whose {@code size} endpoints has a verdict yet (just after a start). */
    static RegionView unknown(String name, int n, int priority, int size) {
        List<EndpointConfig> endpoints = IntStream.rangeClosed(1, size)
                .mapToObj(i -> new EndpointConfig("10.0." + n + "." + i, 80, "web")).toList();
        return new RegionView(new RegionConfig(name, priority, 1, 0, endpoints),
                new RegionStatus(name, false, false, 0, size, List.of(), "0/" + size + " endpoints up, " + size + " not yet known", size, true));
    }
}
