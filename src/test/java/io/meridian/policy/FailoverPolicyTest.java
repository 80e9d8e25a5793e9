package io.meridian.policy;

import io.meridian.config.PolicyType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.meridian.policy.Regions.region;
import static io.meridian.policy.Regions.service;
import static org.assertj.core.api.Assertions.assertThat;

class FailoverPolicyTest {

    private final RoutingPolicy policy = RoutingPolicy.of(PolicyType.FAILOVER);

    @Test
    void answersWithTheUpEndpointsOfTheBestPriorityRegion() {
        DesiredAnswers d = policy.decide(service(PolicyType.FAILOVER, "us", "eu"),
                List.of(region("eu", 2, 2, 1, 2, 2), region("us", 1, 1, 1, 3, 2)), java.util.Optional.empty());
        assertThat(d.sets()).containsExactly(new AnswerSet("us", 1, List.of("10.0.1.1", "10.0.1.2")));
        assertThat(d.failOpen()).isFalse();
        assertThat(d.reason()).isEqualTo("us is the first region in priority order and is up (2/3 endpoints up)");
    }

    @Test
    void isSettledOnceARegionWithEveryEndpointKnownIsInServiceInPriorityOrder() {
        RegionView usKnownUp = region("us", 1, 1, 1, 2, 2);
        RegionView usUnknown = Regions.unknown("us", 1, 1, 2);
        RegionView euUnknown = Regions.unknown("eu", 2, 2, 2);
        RegionView euUp = region("eu", 2, 2, 1, 2, 2);
        assertThat(policy.settled(List.of(usKnownUp, euUnknown))).as("eu cannot change the answer").isTrue();
        assertThat(policy.settled(List.of(euUp, usUnknown))).as("us ranks first and is not known").isFalse();
        assertThat(policy.settled(List.of(region("us", 1, 1, 1, 2, 0), euUnknown))).as("us is down: eu decides").isFalse();
        assertThat(policy.settled(List.of(drained(usUnknown), euUp))).as("a drained region is not waited for").isTrue();
        assertThat(RoutingPolicy.of(PolicyType.WEIGHTED).settled(List.of(usKnownUp, euUnknown))).as("weighted waits for all").isFalse();
        DesiredAnswers d = policy.decide(service(PolicyType.FAILOVER, "us", "eu"), List.of(usUnknown, euUp), java.util.Optional.empty());
        assertThat(d.reason()).isEqualTo("failover to eu (2/2 endpoints up) because us is not yet known (0/2 endpoints up, 2 not yet known)");
    }

    private static RegionView drained(RegionView r) {
        return new RegionView(r.config(), r.status(), r.latencyByVantage(), true);
    }

    @Test
    void failsOverToTheNextRegionWhenTheFirstIsDown() {
        DesiredAnswers d = policy.decide(service(PolicyType.FAILOVER, "us", "eu", "ap"),
                List.of(region("us", 1, 1, 1, 2, 0), region("eu", 2, 2, 1, 2, 1), region("ap", 3, 3, 1, 2, 2)), java.util.Optional.empty());
        assertThat(d.sets()).containsExactly(new AnswerSet("eu", 1, List.of("10.0.2.1")));
        assertThat(d.reason()).isEqualTo("failover to eu (1/2 endpoints up) because us is down (0/2 endpoints up)");
    }

    @Test
    void failsOpenWithEveryEndpointWhenNoRegionIsUp() {
        DesiredAnswers d = policy.decide(service(PolicyType.FAILOVER, "us", "eu"),
                List.of(region("us", 1, 1, 1, 2, 0), region("eu", 2, 2, 1, 1, 0)), java.util.Optional.empty());
        assertThat(d.failOpen()).isTrue();
        assertThat(d.isEmpty()).isFalse();
        assertThat(d.sets()).containsExactly(new AnswerSet("*", 1, List.of("10.0.1.1", "10.0.1.2", "10.0.2.1")));
        assertThat(d.reason()).startsWith("FAIL-OPEN: no region is in service (us down (0/2 endpoints up); eu down (0/1 endpoints up))");
    }

    @Test
    void breaksPriorityTiesByName() {
        DesiredAnswers d = policy.decide(service(PolicyType.FAILOVER, "b", "a"),
                List.of(region("b", 2, 1, 1, 1, 1), region("a", 1, 1, 1, 1, 1)), java.util.Optional.empty());
        assertThat(d.sets()).extracting(AnswerSet::label).containsExactly("a");
    }
}
