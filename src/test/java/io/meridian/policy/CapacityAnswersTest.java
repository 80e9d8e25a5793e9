package io.meridian.policy;

import io.meridian.config.PolicyType;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.meridian.policy.Regions.capacity;
import static io.meridian.policy.Regions.degraded;
import static io.meridian.policy.Regions.loaded;
import static io.meridian.policy.Regions.region;
import static io.meridian.policy.Regions.service;
import static org.assertj.core.api.Assertions.assertThat;

/** Failover and weighted services that declare a load answer within the regions' capacity. */
class CapacityAnswersTest {

    @Test
    void aFailoverServiceSpillsWhatTheNextRegionCannotTake() {
        DesiredAnswers d = RoutingPolicy.of(PolicyType.FAILOVER).decide(loaded(PolicyType.FAILOVER, 100, 1, "us", "eu", "ap"),
                List.of(capacity(region("us", 1, 1, 50, 2, 0), 100), capacity(region("eu", 2, 2, 30, 2, 2), 60),
                        capacity(region("ap", 3, 3, 20, 2, 2), 60)), Optional.empty());
        assertThat(d.sets()).extracting(AnswerSet::label, AnswerSet::weight).containsExactly(Tuple.tuple("eu", 60), Tuple.tuple("ap", 40));
        assertThat(d.primary()).isEqualTo("eu");
        assertThat(d.reason()).startsWith("failover to eu").endsWith("; load 100: eu 60 of 60, ap 40 of 60");
        assertThat(d.load().shares()).extracting(LoadShares.Share::region, LoadShares.Share::load)
                .containsExactly(Tuple.tuple("us", 0.0), Tuple.tuple("eu", 60.0), Tuple.tuple("ap", 40.0));
    }

    @Test
    void aFailoverServiceThatFitsAnswersAsWithoutALoad() {
        List<RegionView> regions = List.of(capacity(region("us", 1, 1, 50, 2, 2), 100), capacity(region("eu", 2, 2, 30, 2, 2), 60));
        DesiredAnswers with = RoutingPolicy.of(PolicyType.FAILOVER).decide(loaded(PolicyType.FAILOVER, 90, 1, "us", "eu"), regions, Optional.empty());
        DesiredAnswers without = RoutingPolicy.of(PolicyType.FAILOVER).decide(service(PolicyType.FAILOVER, "us", "eu"), regions, Optional.empty());
        assertThat(with.sameAnswers(without)).isTrue();
        assertThat(with.reason()).endsWith("load 90: us 90 of 100");
    }

    @Test
    void headroomLowersWhatARegionMayTake() {
        DesiredAnswers d = RoutingPolicy.of(PolicyType.FAILOVER).decide(loaded(PolicyType.FAILOVER, 100, 0.8, "us", "eu"),
                List.of(capacity(region("us", 1, 1, 50, 2, 2), 100), capacity(region("eu", 2, 2, 30, 2, 2), 100)), Optional.empty());
        assertThat(d.sets()).extracting(AnswerSet::label, AnswerSet::weight).containsExactly(Tuple.tuple("us", 80), Tuple.tuple("eu", 20));
        assertThat(d.reason()).endsWith("us 80 of 100 (limit 80), eu 20 of 100 (limit 80)");
    }

    @Test
    void whenEverythingIsFullTheAnswerStillServesAndSaysHowMuchHasNoHome() {
        DesiredAnswers d = RoutingPolicy.of(PolicyType.FAILOVER).decide(loaded(PolicyType.FAILOVER, 300, 1, "us", "eu", "ap"),
                List.of(capacity(region("us", 1, 1, 50, 2, 0), 100), capacity(region("eu", 2, 2, 30, 2, 2), 60),
                        capacity(region("ap", 3, 3, 20, 2, 2), 40)), Optional.empty());
        assertThat(d.isEmpty()).isFalse();
        assertThat(d.sets()).extracting(AnswerSet::label, AnswerSet::weight).containsExactly(Tuple.tuple("eu", 60), Tuple.tuple("ap", 40));
        assertThat(d.load().unplaced()).isEqualTo(200.0);
        assertThat(d.reason()).contains("(200 of 300 has no home: every region in service is full)");
    }

    @Test
    void aWeightedServiceKeepsItsSharesAndGivesADeadRegionsLoadInPriorityOrder() {
        // 150 split 50/30/20 by weight: 75, 45, 30. us dies: eu (room 15) then ap (room 30) take 45 of its 75;
        // the other 30 has no home and is spread over the two by their limits.
        DesiredAnswers d = RoutingPolicy.of(PolicyType.WEIGHTED).decide(loaded(PolicyType.WEIGHTED, 150, 1, "us", "eu", "ap"),
                List.of(capacity(region("us", 1, 1, 50, 2, 0), 100), capacity(region("eu", 2, 2, 30, 2, 2), 60),
                        capacity(region("ap", 3, 3, 20, 2, 2), 60)), Optional.empty());
        assertThat(d.load().shares()).extracting(LoadShares.Share::load).containsExactly(0.0, 75.0, 75.0);
        assertThat(d.load().unplaced()).isEqualTo(30.0);
        assertThat(d.sets()).extracting(AnswerSet::label, AnswerSet::weight).containsExactly(Tuple.tuple("eu", 50), Tuple.tuple("ap", 50));
        assertThat(d.reason()).startsWith("weighted by where the load fits: load 150:").endsWith("left out: us down (0/2 endpoints up)");
    }

    @Test
    void aDegradedRegionShedsHalfItsShareToTheOthers() {
        DesiredAnswers d = RoutingPolicy.of(PolicyType.WEIGHTED).decide(loaded(PolicyType.WEIGHTED, 100, 1, "us", "eu"),
                List.of(degraded(capacity(region("us", 1, 1, 50, 2, 2), 100)), capacity(region("eu", 2, 2, 50, 2, 2), 100)), Optional.empty());
        assertThat(d.sets()).extracting(AnswerSet::label, AnswerSet::weight).containsExactly(Tuple.tuple("us", 25), Tuple.tuple("eu", 75));
    }

    @Test
    void aLatencyOrZeroLoadDecidesAsWithoutOne() {
        List<RegionView> regions = List.of(capacity(region("us", 1, 1, 50, 2, 2), 10), capacity(region("eu", 2, 2, 50, 2, 2), 10));
        DesiredAnswers zero = RoutingPolicy.of(PolicyType.WEIGHTED).decide(loaded(PolicyType.WEIGHTED, 0, 1, "us", "eu"), regions, Optional.empty());
        assertThat(zero.sets()).extracting(AnswerSet::weight).containsExactly(50, 50);
        assertThat(zero.load().declared()).isFalse();
    }
}
