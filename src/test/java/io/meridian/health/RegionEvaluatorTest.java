package io.meridian.health;

import io.meridian.config.EndpointConfig;
import io.meridian.config.RegionConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RegionEvaluatorTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** states: one letter per endpoint, U up, D down, ? unknown; undecided: not up only for want of results. */
    @ParameterizedTest(name = "{0} with min-up-fraction {1} -> up={2}")
    @CsvSource(delimiter = '|', value = {
            "UUUU | 0.0 | true | 4/4 endpoints up | false",
            "UDDD | 0.0 | true | 1/4 endpoints up, failing: status | false",
            "DDDD | 0.0 | false | 0/4 endpoints up, failing: status | false",
            "???? | 0.0 | false | 0/4 endpoints up, 4 not yet known | true",
            "D??? | 0.0 | false | 0/4 endpoints up, 3 not yet known, failing: status | true",
            "U??? | 0.0 | true | 1/4 endpoints up, 3 not yet known | false",
            "UUDD | 0.5 | true | 2/4 endpoints up, failing: status | false",
            "UDDD | 0.5 | false | 1/4 endpoints up, failing: status (needs 2) | false",
            "UUU? | 1.0 | false | 3/4 endpoints up, 1 not yet known (needs 4) | true",
            "UUD? | 1.0 | false | 2/4 endpoints up, 1 not yet known, failing: status (needs 4) | false",
    })
    void aRegionIsUpWhenEnoughEndpointsAreUp(String states, double fraction, boolean up, String reason, boolean undecided) {
        List<EndpointConfig> endpoints = new ArrayList<>();
        Map<String, TargetVerdict> health = new HashMap<>();
        for (int i = 0; i < states.length(); i++) {
            EndpointConfig e = new EndpointConfig("10.0.0." + (i + 1), 80, "web");
            endpoints.add(e);
            TargetState s = switch (states.charAt(i)) {
                case 'U' -> TargetState.UP;
                case 'D' -> TargetState.DOWN;
                default -> TargetState.UNKNOWN;
            };
            health.put(e.id("r"), new TargetVerdict(e.id("r"), "r", s, NOW, Votes.NONE, "", s == TargetState.DOWN ? "status" : ""));
        }
        RegionStatus status = RegionEvaluator.evaluate(new RegionConfig("r", 1, 1, fraction, endpoints),
                endpoints.stream().map(e -> health.get(e.id("r"))).toList());
        assertThat(status.up()).isEqualTo(up);
        assertThat(status.reason()).isEqualTo(reason);
        assertThat(status.undecided()).as("undecided").isEqualTo(undecided);
        assertThat(status.settling()).as("settling").isEqualTo(states.contains("?"));
        assertThat(status.upAddresses()).hasSize((int) states.chars().filter(c -> c == 'U').count());
    }

    @org.junit.jupiter.api.Test
    void twoEndpointsOfOneAddressAnswerAsOneAddress() {
        List<EndpointConfig> endpoints = List.of(new EndpointConfig("10.0.0.1", 80, "web"), new EndpointConfig("10.0.0.1", 8080, "web"),
                new EndpointConfig("10.0.0.2", 80, "web"));
        List<TargetVerdict> verdicts = endpoints.stream().map(e -> new TargetVerdict(e.id("r"), "r", TargetState.UP, NOW, Votes.NONE, "", "")).toList();
        RegionStatus status = RegionEvaluator.evaluate(new RegionConfig("r", 1, 1, 0, endpoints), verdicts);
        assertThat(status.upAddresses()).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(status.upCount()).isEqualTo(3);
    }
}
