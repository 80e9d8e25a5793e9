package io.meridian.replication;

import io.meridian.config.DatabaseMember;
import io.meridian.coord.Term;
import io.meridian.dns.DnsChange;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * What a role change does to the world, done by the daemon's one actuator under the term the change
 * runs in: every call fails with {@link io.meridian.coord.StaleTermException} once that term is not
 * current, so a leader that lost its lease cannot fence, promote or publish late.
 */
public interface RoleActions {

    /** Journals {@code entry} (a step started or done: the intent and the outcome). */
    Future<JsonObject> journal(Term term, JsonObject entry);

    /** The newest {@code limit} journal entries that match, newest first. */
    Future<List<JsonObject>> readJournal(Predicate<JsonObject> filter, int limit);

    /** The write name's records: in the desired answers every daemon serves, then at the remote providers. */
    Future<Void> publishWriteName(Term term, List<DnsChange> changes, String why);

    Future<Void> fence(Term term, ReplicationProvider provider, DatabaseMember member);

    Future<Void> unfence(Term term, ReplicationProvider provider, DatabaseMember member);

    Future<Void> promote(Term term, ReplicationProvider provider, DatabaseMember member, Duration timeout);

    Future<String> repoint(Term term, ReplicationProvider provider, DatabaseMember member, DatabaseMember primary, boolean wasPrimary);

    /** The operator's fencing command for {@code member}. */
    Future<String> fenceCommand(Term term, List<String> command, DatabaseMember member, Duration timeout);

    /** True while {@code term} is current and this daemon may act under it. */
    boolean current(Term term);
}
