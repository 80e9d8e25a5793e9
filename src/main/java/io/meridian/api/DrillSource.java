package io.meridian.api;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/** Disaster-recovery drills as the API serves them (see {@link DrillRoutes}). */
public interface DrillSource {

    /** A server with no drills (tests, the stand-alone API). */
    DrillSource NONE = new DrillSource() {
        @Override
        public JsonObject list() {
            return new JsonObject().put("drills", new io.vertx.core.json.JsonArray()).put("running", null)
                    .put("reports", new io.vertx.core.json.JsonArray());
        }

        @Override
        public Future<JsonObject> run(String name, String actor, String reason, boolean dryRun) {
            return Future.failedFuture(new IllegalArgumentException("drill '" + name + "' is not configured"));
        }

        @Override
        public Future<JsonObject> abort(String actor, String reason, boolean dryRun) {
            return Future.succeededFuture(new JsonObject().put("accepted", false).put("message", "no drill is running"));
        }

        @Override
        public Optional<JsonObject> report(String id) {
            return Optional.empty();
        }

        @Override
        public Optional<String> markdown(String id) {
            return Optional.empty();
        }
    };

    /** The configured drills, the one running (if any) and the reports of past runs, newest first. */
    JsonObject list();

    /** Starts drill {@code name} (a dry run only checks its readiness and shows what it would do). */
    Future<JsonObject> run(String name, String actor, String reason, boolean dryRun);

    /** Aborts the running drill: the region is restored (a dry run says which drill it would abort). */
    Future<JsonObject> abort(String actor, String reason, boolean dryRun);

    Optional<JsonObject> report(String id);

    Optional<String> markdown(String id);
}
