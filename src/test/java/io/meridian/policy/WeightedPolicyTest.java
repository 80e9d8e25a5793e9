package io.meridian.policy;

import io.meridian.config.PolicyType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.meridian.policy.Regions.region;
import static io.meridian.policy.Regions.service;
import static org.assertj.core.api.Assertions.assertThat;

class WeightedPolicyTest {

    private final RoutingPolicy policy = RoutingPolicy.of(PolicyType.WEIGHTED);

    @Test
    void givesEachUpRegionItsWeight() {
        DesiredAnswers d = policy.decide(service(PolicyType.WEIGHTED, "us", "eu"),
                List.of(region("us", 1, 1, 70, 2, 2), region("eu", 2, 2, 30, 2, 1)), java.util.Optional.empty());
        assertThat(d.sets()).containsExactly(
                new AnswerSet("us", 70, List.of("10.0.1.1", "10.0.1.2")),
                new AnswerSet("eu", 30, List.of("10.0.2.1")));
        assertThat(d.reason()).isEqualTo("weighted over regions in service: us weight 70, eu weight 30");
    }

    @Test
    void leavesDownRegionsOutSoTheOthersTakeTheirShare() {
        DesiredAnswers d = policy.decide(service(PolicyType.WEIGHTED, "us", "eu", "ap"),
                List.of(region("us", 1, 1, 50, 2, 0), region("eu", 2, 2, 30, 2, 2), region("ap", 3, 3, 20, 1, 1)), java.util.Optional.empty());
        assertThat(d.sets()).extracting(AnswerSet::label, AnswerSet::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("eu", 30), org.assertj.core.groups.Tuple.tuple("ap", 20));
        assertThat(d.reason()).endsWith("left out: us down (0/2 endpoints up)");
    }

    @Test
    void zeroWeightRegionsServeOnlyWhenEveryUpRegionHasZero() {
        DesiredAnswers some = policy.decide(service(PolicyType.WEIGHTED, "us", "eu"),
                List.of(region("us", 1, 1, 0, 1, 1), region("eu", 2, 2, 10, 1, 1)), java.util.Optional.empty());
        assertThat(some.sets()).extracting(AnswerSet::label).containsExactly("eu");

        DesiredAnswers allZero = policy.decide(service(PolicyType.WEIGHTED, "us", "eu"),
                List.of(region("us", 1, 1, 0, 1, 1), region("eu", 2, 2, 0, 1, 1)), java.util.Optional.empty());
        assertThat(allZero.sets()).extracting(AnswerSet::weight).containsExactly(1, 1);
    }

    @Test
    void failsOpenWhenNoRegionIsUp() {
        DesiredAnswers d = policy.decide(service(PolicyType.WEIGHTED, "us", "eu"),
                List.of(region("us", 1, 1, 50, 1, 0), region("eu", 2, 2, 50, 1, 0)), java.util.Optional.empty());
        assertThat(d.failOpen()).isTrue();
        assertThat(d.sets()).containsExactly(new AnswerSet("*", 1, List.of("10.0.1.1", "10.0.2.1")));
    }
}
