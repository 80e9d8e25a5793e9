package io.meridian.engine;

import io.meridian.plan.Plan;

import java.time.Instant;
import java.util.List;

/** The outcome of one engine tick: what changed, and the plan to apply. */
public record Decision(Instant at, List<Event> events, Plan plan) {

    public Decision {
        events = List.copyOf(events);
    }
}
