package io.meridian.replication;

import io.meridian.plan.RoleChange;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The newest role change of a cluster as the dashboard and {@code /v1/databases} show it: who asked and why,
 * each step's state, when it ran and what it did, and how the change ended. Kept in memory (the journal holds
 * the record that survives a restart); a resumed change starts a fresh one. Owned by the daemon's event loop.
 */
final class ChangeProgress {

    private record StepState(String state, String detail, Instant at) {
    }

    private final RoleChange change;
    private final Instant started;
    private final Map<RoleChange.Step, StepState> steps = new LinkedHashMap<>();
    private String outcome = "running";
    private Instant ended;

    ChangeProgress(RoleChange change, Instant started) {
        this.change = change;
        this.started = started;
        change.steps().forEach(s -> steps.put(s, new StepState("pending", "", null)));
    }

    void step(RoleChange.Step step, String state, String detail, Instant at) {
        steps.put(step, new StepState(state, detail, at));
    }

    /** A step a run before a restart or a change of leader did: resumed past it. */
    void doneBefore(RoleChange.Step step) {
        steps.put(step, new StepState("done", "done before a restart or a change of leader", null));
    }

    void end(String outcome, Instant at) {
        this.outcome = outcome;
        this.ended = at;
    }

    JsonObject toJson() {
        JsonArray out = new JsonArray();
        steps.forEach((step, s) -> out.add(new JsonObject().put("step", step.name()).put("state", s.state()).put("detail", s.detail())
                .put("at", s.at() == null ? null : s.at().toString())));
        return new JsonObject().put("id", change.id()).put("kind", change.kind().name()).put("from", change.from().orElse(null))
                .put("to", change.to()).put("forced", change.forced()).put("actor", change.actor()).put("reason", change.reason())
                .put("started", started.toString()).put("ended", ended == null ? null : ended.toString())
                .put("duration_ms", ended == null ? null : java.time.Duration.between(started, ended).toMillis())
                .put("outcome", outcome).put("steps", out);
    }
}
