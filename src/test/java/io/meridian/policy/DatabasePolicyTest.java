package io.meridian.policy;

import io.meridian.config.DatabaseClusterConfig;
import io.meridian.config.DatabaseKind;
import io.meridian.health.TargetState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DatabasePolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private static DatabaseClusterConfig cluster(boolean automatic, boolean crossRegion) {
        return new DatabaseClusterConfig("orders", DatabaseKind.POSTGRES, "db.example.test", Duration.ofSeconds(5), 1000,
                Duration.ofSeconds(5), automatic, List.of("us-east", "eu-west", "ap-south"), crossRegion, Duration.ofSeconds(1),
                Duration.ofSeconds(1), 2, 3, List.of(), Duration.ofSeconds(10), true, Duration.ofMinutes(10), Duration.ofSeconds(30));
    }

    private static final MemberStatus PRIMARY = MemberStatus.primary("p", "us-east", 50_000, NOW);

    private static MemberStatus replica(String id, String region, long position) {
        return MemberStatus.replica(id, region, position, true, Optional.of(Duration.ofMillis(800)), NOW);
    }

    private static RoleDecision decide(DatabaseClusterConfig c, Map<String, TargetState> verdicts, List<MemberStatus> members) {
        return DatabasePolicy.decide(c, Optional.of(PRIMARY), 50_000, members, verdicts, Optional.empty(), NOW, false, false, Optional.empty());
    }

    private static final Map<String, TargetState> PRIMARY_DOWN = Map.of("p", TargetState.DOWN, "a", TargetState.UP, "b", TargetState.UP);

    @Test
    void nothingHappensWhileThePrimaryIsNotConfirmedDown() {
        RoleDecision d = decide(cluster(true, true), Map.of("p", TargetState.UP, "a", TargetState.UP), List.of(PRIMARY, replica("a", "eu-west", 50_000)));
        assertThat(d.kind()).isEqualTo(RoleDecision.Kind.NONE);
        assertThat(decide(cluster(true, true), Map.of("p", TargetState.UNKNOWN), List.of(PRIMARY)).kind()).isEqualTo(RoleDecision.Kind.NONE);
    }

    @Test
    void promotesTheMostAdvancedReplicaThenByRegionPriority() {
        RoleDecision d = decide(cluster(true, true), PRIMARY_DOWN, List.of(replica("b", "ap-south", 49_900), replica("a", "eu-west", 49_800)));
        assertThat(d.kind()).isEqualTo(RoleDecision.Kind.PROMOTE);
        assertThat(d.candidate()).contains("b");
        assertThat(d.lagBytes()).isEqualTo(100);
        RoleDecision tie = decide(cluster(true, true), PRIMARY_DOWN, List.of(replica("b", "ap-south", 49_900), replica("a", "eu-west", 49_900)));
        assertThat(tie.candidate()).as("eu-west comes before ap-south").contains("a");
    }

    @Test
    void refusesAboveTheRpoSayingByHowMuchAndAForcedPromotionGoesAhead() {
        List<MemberStatus> far = List.of(replica("a", "eu-west", 40_000));
        RoleDecision d = decide(cluster(true, true), PRIMARY_DOWN, far);
        assertThat(d.kind()).isEqualTo(RoleDecision.Kind.REFUSED);
        assertThat(d.reason()).contains("10000 bytes behind").contains("9000 bytes over the RPO of 1000 bytes");
        RoleDecision forced = DatabasePolicy.decide(cluster(true, true), Optional.of(PRIMARY), 50_000, far, PRIMARY_DOWN,
                Optional.empty(), NOW, true, true, Optional.empty());
        assertThat(forced.kind()).isEqualTo(RoleDecision.Kind.PROMOTE);
        assertThat(forced.reason()).contains("FORCED beyond the RPO");
    }

    @Test
    void refusesWhenTheReplayIsTooOld() {
        MemberStatus stale = MemberStatus.replica("a", "eu-west", 50_000, true, Optional.of(Duration.ofSeconds(8)), NOW);
        assertThat(decide(cluster(true, true), PRIMARY_DOWN, List.of(stale)).reason()).contains("3000 ms over the RPO of 5000 ms");
    }

    @Test
    void skipsReplicasThatAreDownPausedOrInAnotherRegionWhenCrossRegionIsOff() {
        MemberStatus paused = MemberStatus.replica("a", "eu-west", 50_000, false, Optional.empty(), NOW);
        assertThat(decide(cluster(true, true), PRIMARY_DOWN, List.of(paused)).kind()).isEqualTo(RoleDecision.Kind.REFUSED);
        assertThat(decide(cluster(true, true), Map.of("p", TargetState.DOWN, "a", TargetState.DOWN), List.of(replica("a", "eu-west", 50_000))).kind())
                .isEqualTo(RoleDecision.Kind.REFUSED);
        RoleDecision local = decide(cluster(true, false), PRIMARY_DOWN, List.of(replica("a", "eu-west", 50_000)));
        assertThat(local.kind()).isEqualTo(RoleDecision.Kind.REFUSED);
        assertThat(local.reason()).contains("cross-region promotion is off");
    }

    @Test
    void aManualClusterOrACoolingDownOneWaitsForAnOperator() {
        assertThat(decide(cluster(false, true), PRIMARY_DOWN, List.of(replica("a", "eu-west", 50_000))).reason()).contains("is not automatic");
        RoleDecision cooling = DatabasePolicy.decide(cluster(true, true), Optional.of(PRIMARY), 50_000, List.of(replica("a", "eu-west", 50_000)),
                PRIMARY_DOWN, Optional.of(NOW.plusSeconds(60)), NOW, false, false, Optional.empty());
        assertThat(cooling.reason()).contains("cooling down");
        RoleDecision operator = DatabasePolicy.decide(cluster(false, true), Optional.of(PRIMARY), 50_000, List.of(replica("a", "eu-west", 50_000)),
                PRIMARY_DOWN, Optional.of(NOW.plusSeconds(60)), NOW, true, false, Optional.of("a"));
        assertThat(operator.candidate()).contains("a");
    }
}
