package io.meridian.plan;

import io.meridian.policy.DesiredAnswers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Diffs desired answers against published ones. Enforces safety rule 1 here, whatever a policy
 * returned: an empty answer is never published; the last published answer stays.
 */
public final class Planner {

    private Planner() {
    }

    /**
     * @param desired   what each service should answer now
     * @param published what each service answers now (absent: nothing published yet)
     */
    public static Plan plan(List<DesiredAnswers> desired, Map<String, DesiredAnswers> published) {
        List<Action> actions = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (DesiredAnswers d : desired) {
            DesiredAnswers current = published.get(d.service());
            if (d.isEmpty()) {
                held.add(d.service() + ": refused to publish an empty answer; keeping "
                        + (current == null ? "nothing" : current.describe()) + " (" + d.reason() + ")");
                continue;
            }
            if (d.sameAnswers(current)) {
                continue;
            }
            String from = current == null ? "(nothing)" : current.describe();
            actions.add(new Action(d.service(), d, d.service() + ": " + from + " -> " + d.describe() + " because " + d.reason()));
        }
        return new Plan(actions, held);
    }
}
