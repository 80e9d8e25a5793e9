package io.meridian.replication;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Predicate;

/** Where role changes are journaled (the daemon's fsync'ed journal): every step before and after it runs. */
public interface RoleJournal {

    /** Appends {@code entry}; the future completes once it is on disk. */
    Future<JsonObject> append(JsonObject entry);

    /** The newest {@code limit} entries that match, newest first. */
    Future<List<JsonObject>> read(Predicate<JsonObject> filter, int limit);
}
