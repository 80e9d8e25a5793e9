package io.meridian.api;

import io.meridian.config.MeridianConfig;
import io.meridian.engine.Engine;
import io.meridian.engine.Outcome;
import io.meridian.engine.Request;
import io.meridian.plan.Plan;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** What the API reads from, and asks of, the controller. Called on the controller's event loop. */
public interface StatusSource {

    MeridianConfig config();

    /** The decision engine: health verdicts, region status, desired and published answers, overrides. */
    Engine engine();

    /** This daemon's clock: what the history is read up to. */
    java.time.Instant now();

    boolean ready();

    String readiness();

    /** Checks and (unless a dry run) takes an operator request; audited and persisted before it completes. */
    Future<Outcome> submit(Request request, boolean dryRun);

    /** What automation would do now, and why. */
    Plan plan();

    /** Journal entries, newest first. */
    Future<List<JsonObject>> events(Predicate<JsonObject> filter, int limit, long before);

    /** Calls {@code listener} with every new journal entry; returns how to stop. */
    Runnable listen(Consumer<JsonObject> listener);

    /**
     * What this daemon's own probes of a target show.
     *
     * @param phases milliseconds from the start of its last probe to each phase it reached (connect, tls, first_byte) and to its end (total)
     * @param flaps  how often its verdict changed in the last hour (its first verdict after a start not counted)
     */
    record Probed(java.util.Map<String, Long> phases, int flaps) {
    }

    Probed probed(String targetId);

    /** How many times the controller has ticked: the status snapshot is made again when this moves. */
    long ticks();

    /** True while this daemon may act (leads, its term current); changes asked elsewhere go to the leader. */
    default boolean leads() {
        return true;
    }

    /**
     * How this daemon coordinates: {@code type}, {@code self}, {@code acting}, {@code leader}, {@code term}
     * ({@code epoch}, {@code token}), {@code store} ({@code ok} or why not) and each vantage's freshness as
     * judged here ({@code last_report_ms_ago}, {@code votes}).
     */
    default JsonObject coordination() {
        return new JsonObject().put("type", "local");
    }

    /** Who leads, as this daemon knows it. */
    default java.util.Optional<io.meridian.coord.Leadership.Leader> leader() {
        return java.util.Optional.empty();
    }

    /** Appends {@code entry} (stamped with the time) to the journal and tells the listeners; completes once it is on disk. */
    Future<JsonObject> journal(JsonObject entry);
}
