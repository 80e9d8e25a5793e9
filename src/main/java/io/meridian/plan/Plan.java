package io.meridian.plan;

import java.util.List;

/**
 * What to do now: actions to apply in order, actions computed but not applied because automation
 * is paused, and the changes a safety rule held back (with why).
 */
public record Plan(List<Action> actions, List<Action> paused, List<String> held) {

    public Plan {
        actions = List.copyOf(actions);
        paused = List.copyOf(paused);
        held = List.copyOf(held);
    }

    public Plan(List<Action> actions, List<String> held) {
        this(actions, List.of(), held);
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }
}
