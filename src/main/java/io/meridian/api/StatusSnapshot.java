package io.meridian.api;

import io.meridian.replication.DatabaseManager;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * {@code /v1/status} made at most once per controller tick, on the first read after it, and then
 * shared: fifty dashboards polling between two ticks cost one rendering and read the same bytes. The
 * reads of single regions and services are cut from it too. Never changed once made; what the
 * snapshot shows is at most one tick old (the automation tick bounds that, one second by default).
 * Made on the controller's loop (it reads the engine); once made, read anywhere.
 */
final class StatusSnapshot {

    private final WorkerExecutor renders;
    private final StatusSource source;
    private final Optional<DatabaseManager> databases;
    private long madeAt = -1; // no tick has that count: the first read makes one
    private JsonObject json;
    private Future<Buffer> body;

    /** @param renders where the encoding runs, off the decision loop */
    StatusSnapshot(WorkerExecutor renders, StatusSource source, Optional<DatabaseManager> databases) {
        this.renders = renders;
        this.source = source;
        this.databases = databases;
    }

    /** The whole status; not to be changed (copy a part before adding to it). */
    JsonObject json() {
        long ticks = source.ticks();
        if (ticks != madeAt) {
            json = StatusJson.status(source).put("databases", databases.map(DatabaseManager::status).orElse(new JsonArray()));
            body = null;
            madeAt = ticks;
        }
        return json;
    }

    /**
     * The status as sent, encoded once per snapshot off the loop: at 1,000 targets it is over a megabyte,
     * tens of milliseconds the decision loop does not wait for. The snapshot is never changed, so the
     * worker reads it safely.
     */
    Future<Buffer> body() {
        JsonObject made = json();
        if (body == null) {
            // Pretty-printed as every other answer: people read it with curl too.
            body = renders.executeBlocking(() -> Buffer.buffer(made.encodePrettily()), false);
        }
        return body;
    }
}
