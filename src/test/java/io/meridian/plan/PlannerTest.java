package io.meridian.plan;

import io.meridian.policy.AnswerSet;
import io.meridian.policy.DesiredAnswers;
import org.junit.jupiter.api.Test;

import io.meridian.config.AutomationSettings;
import io.meridian.config.PolicyType;
import io.meridian.config.ServiceConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PlannerTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    /** The planner with no history, no limits in the way and nothing drained or paused. */
    private static Plan plan(List<DesiredAnswers> desired, Map<String, DesiredAnswers> published) {
        ServiceConfig svc = new ServiceConfig("app.example.test", PolicyType.FAILOVER, Duration.ofSeconds(30), List.of("us"));
        Map<String, ServiceState> states = new java.util.HashMap<>();
        published.forEach((s, p) -> states.put(s, new ServiceState(Optional.of(p), List.of(), Optional.empty())));
        PlanContext ctx = new PlanContext(Map.of(svc.name(), svc), states, AutomationSettings.defaults(), Map.of("us", true),
                Map.of(), Map.of(), Set.of(), Map.of(), Set.of());
        return Planner.plan(desired, ctx, NOW);
    }

    private static DesiredAnswers answers(String reason, String... addresses) {
        return new DesiredAnswers("app.example.test", Duration.ofSeconds(30),
                List.of(new AnswerSet("us", 1, List.of(addresses))), false, reason);
    }

    @Test
    void publishesWhatWasNeverPublished() {
        Plan plan = plan(List.of(answers("us up", "10.0.0.1")), Map.of());
        assertThat(plan.actions()).singleElement().satisfies(a -> {
            assertThat(a.service()).isEqualTo("app.example.test");
            assertThat(a.reason()).isEqualTo("app.example.test: (nothing) -> us[10.0.0.1] because us up");
        });
    }

    @Test
    void doesNothingWhenTheAnswersAreAlreadyPublishedWhateverTheReason() {
        Plan plan = plan(List.of(answers("new reason", "10.0.0.1")),
                Map.of("app.example.test", answers("old reason", "10.0.0.1")));
        assertThat(plan.isEmpty()).isTrue();
    }

    @Test
    void neverPublishesAnEmptyAnswerAndSaysWhy() {
        Plan plan = plan(List.of(answers("broken policy")),
                Map.of("app.example.test", answers("before", "10.0.0.1")));
        assertThat(plan.actions()).isEmpty();
        assertThat(plan.held()).containsExactly(
                "app.example.test: refused to publish an empty answer; keeping us[10.0.0.1] (broken policy)");
    }

    @Test
    void replacesChangedAnswers() {
        Plan plan = plan(List.of(answers("eu took over", "10.0.2.1")),
                Map.of("app.example.test", answers("before", "10.0.1.1")));
        assertThat(plan.actions()).extracting(Action::reason)
                .containsExactly("app.example.test: us[10.0.1.1] -> us[10.0.2.1] because eu took over");
    }
}
