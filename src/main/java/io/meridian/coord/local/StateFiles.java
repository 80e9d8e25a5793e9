package io.meridian.coord.local;

import io.meridian.config.JournalSettings;
import io.meridian.engine.ManualOverride;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * The daemon's files in {@code api.state-dir}: the journal ({@code meridian-journal.jsonl}) and the
 * persisted overrides ({@code meridian-overrides.json}). All disk work runs on a worker, in order,
 * so the event loop never blocks and writes land in the order they were asked for.
 */
public final class StateFiles {

    public static final String JOURNAL = "meridian-journal.jsonl";
    public static final String OVERRIDES = "meridian-overrides.json";

    private final Vertx vertx;
    private final Journal journal;
    private volatile boolean writable = true;
    private final OverridesFile overrides;
    private final List<ManualOverride> restored;

    private StateFiles(Vertx vertx, Journal journal, OverridesFile overrides, List<ManualOverride> restored) {
        this.vertx = vertx;
        this.journal = journal;
        this.overrides = overrides;
        this.restored = restored;
    }

    /** Opens the journal (cutting a torn last line) and loads the overrides; fails naming the file when one is bad. */
    public static Future<StateFiles> open(Vertx vertx, Path dir, JournalSettings rotation) {
        return vertx.executeBlocking(() -> {
            Journal j = new Journal(dir.resolve(JOURNAL), rotation);
            OverridesFile o = new OverridesFile(dir.resolve(OVERRIDES));
            try {
                return new StateFiles(vertx, j, o, o.load());
            } catch (IOException e) {
                j.close();
                throw e;
            }
        }, true);
    }

    public List<ManualOverride> restored() {
        return restored;
    }

    public String repair() {
        return journal.repair();
    }

    /** Fails with {@link JournalUnwritableException} when the entry is not on disk; {@link #writable} says so until one is. */
    public Future<JsonObject> append(JsonObject entry) {
        return vertx.executeBlocking(() -> journal.append(entry), true)
                .onComplete(ar -> writable = ar.succeeded() || !(ar.cause() instanceof JournalUnwritableException));
    }

    /** The sequence number of the journal's last entry. */
    public long lastSeq() {
        return journal.lastSeq();
    }

    /** False since the last write to the state directory (journal or overrides) the disk refused (for the alert metric). */
    public boolean writable() {
        return writable;
    }

    /** Saves the standing overrides when {@code changed}; a no-op future otherwise. */
    public Future<Void> persist(List<ManualOverride> standing, boolean changed) {
        if (!changed) {
            return Future.succeededFuture();
        }
        return vertx.<Void>executeBlocking(() -> {
            overrides.save(standing);
            return null;
        }, true).onComplete(ar -> writable = ar.succeeded());
    }

    public Future<List<JsonObject>> read(Predicate<JsonObject> filter, int limit, long before) {
        return vertx.executeBlocking(() -> journal.read(filter, limit, before), true);
    }

    public Future<Void> close() {
        return vertx.executeBlocking(() -> {
            journal.close();
            return null;
        }, true);
    }
}
