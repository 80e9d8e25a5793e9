package io.meridian.plan;

import io.meridian.health.RegionStatus;
import io.meridian.policy.AnswerSet;
import io.meridian.policy.DesiredAnswers;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** What a drill watches, and what its report says. */
class DrillChecksTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private static DesiredAnswers answers(String service, boolean failOpen, String... regions) {
        return new DesiredAnswers(service, Duration.ofSeconds(5), java.util.Arrays.stream(regions)
                .map(r -> new AnswerSet(r, 1, List.of("10.0.0.1"))).toList(), failOpen, "test");
    }

    private static RegionStatus status(String region, boolean up) {
        return new RegionStatus(region, up, false, up ? 2 : 0, 2, up ? List.of("10.0.0.1") : List.of(), up ? "2/2 endpoints up" : "0/2 endpoints up");
    }

    @Test
    void aServiceStillServesTheRegionUntilItsAnswerLeavesItAndFailOpenCountsAsServing() {
        Map<String, DesiredAnswers> published = Map.of("app", answers("app", false, "eu-west"), "www", answers("www", false, "us-east", "eu-west"),
                "open", answers("open", true, "*"));
        assertThat(DrillChecks.stillServing(List.of("app", "www", "open", "missing"), "us-east", published)).containsExactly("www", "open", "missing");
        assertThat(DrillChecks.failingOpen(List.of("app", "open"), published)).containsExactly("open");
    }

    @Test
    void restoredMeansTheSameRegionsAsAtTheStart() {
        Map<String, Set<String>> atStart = Map.of("app", Set.of("us-east"), "www", Set.of("us-east", "eu-west"));
        assertThat(DrillChecks.notRestored(atStart, Map.of("app", answers("app", false, "us-east"), "www", answers("www", false, "eu-west"))))
                .containsExactly("www");
    }

    @Test
    void anIncidentIsAnotherRegionThatWasHealthyAtTheStartAndIsDownOrDegradedNow() {
        RegionStatus slow = new RegionStatus("ap-south", true, true, 2, 2, List.of("10.0.0.1"), "2/2 endpoints up, 2 degraded");
        assertThat(DrillChecks.incidents(Set.of("us-east", "eu-west", "ap-south"), "us-east",
                Map.of("us-east", status("us-east", false), "eu-west", status("eu-west", false), "ap-south", slow)))
                .containsExactly("ap-south: degraded, 2/2 endpoints up, 2 degraded", "eu-west: 0/2 endpoints up");
        assertThat(DrillChecks.incidents(Set.of("us-east", "eu-west"), "us-east", Map.of("eu-west", status("eu-west", true)))).isEmpty();
    }

    @Test
    void theReportSaysWhetherTheObjectivesWereMetStepByStep() {
        DrillReport r = new DrillReport("d-1", "d", "us-east", "drill:d (otto)", "Q4", T0, T0.plusSeconds(75), "completed",
                List.of(new DrillReport.Step(T0, "announce", "evacuating us-east", true),
                        new DrillReport.Step(T0.plusMillis(1250), "evacuated", "every answer left | us-east", true)),
                Optional.of(Duration.ofMillis(1250)), Optional.of(Duration.ofSeconds(1)), Optional.of(Duration.ZERO), Optional.of(Duration.ofMinutes(5)),
                List.of(new DrillReport.Invariant("one writable primary of orders", true, "checked")), List.of());
        assertThat(r.rtoMet()).contains(false);
        assertThat(r.rpoMet()).contains(true);
        assertThat(r.markdown()).startsWith("# Drill d: evacuate us-east\n")
                .contains("- RTO: 1250 ms against an objective of 1s: MISSED", "- RPO: 0 ms against an objective of 5m: met",
                        "| +1.250s | evacuated | every answer left \\| us-east |", "- held: one writable primary of orders (checked)");
    }
}
