package io.meridian.plan;

import java.util.List;

/**
 * Actions to apply, in order, and the changes the safety rules held back (with why).
 */
public record Plan(List<Action> actions, List<String> held) {

    public Plan {
        actions = List.copyOf(actions);
        held = List.copyOf(held);
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }
}
