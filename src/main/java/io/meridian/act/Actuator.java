package io.meridian.act;

import io.meridian.config.DatabaseMember;
import io.meridian.coord.Coordination;
import io.meridian.coord.StaleTermException;
import io.meridian.coord.StateJson;
import io.meridian.coord.Term;
import io.meridian.dns.DnsChange;
import io.meridian.dns.DnsProvider;
import io.meridian.dns.RecordSet;
import io.meridian.policy.AnswerSet;
import io.meridian.policy.DesiredAnswers;
import io.meridian.replication.FenceHook;
import io.meridian.replication.ReplicationProvider;
import io.meridian.replication.RoleActions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The only caller of {@link DnsProvider#apply} and of the replication providers' fence, promote and
 * repoint. Every action names the {@link Term} it was decided under and is refused once that term is
 * not current. New answers are first desired: journaled as an intent, written to the shared state
 * ({@code desired/…}, guarded by the term) from where every daemon's embedded server serves them, and
 * journaled with their outcome; then published to the remote providers, journaled the same way. Serving those answers ({@link #serve}) is the one thing that
 * needs no term: every region answers, only the leader decides.
 */
public final class Actuator implements RoleActions {

    private static final Logger log = LoggerFactory.getLogger(Actuator.class);
    public static final String ACTION = "ACTION";

    private final Coordination coord;
    private final Optional<DnsProvider> remote;
    private final DnsProvider embedded;
    private final FenceHook hook;
    private final Supplier<String> now;
    private long refused;

    /**
     * @param remote the DNS providers other than the embedded server (RFC 2136, Route 53), if any
     * @param now    the wall time, for the journal's entries
     */
    public Actuator(Coordination coord, Optional<DnsProvider> remote, DnsProvider embedded, FenceHook hook, Supplier<String> now) {
        this.coord = coord;
        this.remote = remote;
        this.embedded = embedded;
        this.hook = hook;
        this.now = now;
    }

    /** The name metrics and logs give the providers published to: {@code embedded}, {@code embedded+rfc2136} … */
    public String providerName() {
        return embedded.name() + remote.map(r -> "+" + r.name()).orElse("");
    }

    /** The DNS change that publishes {@code answers}. */
    public static DnsChange dnsChange(DesiredAnswers answers) {
        Map<String, List<RecordSet>> byClient = new LinkedHashMap<>();
        answers.byClient().forEach((region, sets) -> byClient.put(region, recordSets(sets)));
        return new DnsChange(answers.service(), answers.ttl(), recordSets(answers.sets()), byClient);
    }

    private static List<RecordSet> recordSets(List<AnswerSet> sets) {
        return sets.stream().map(s -> new RecordSet(s.label(), s.weight(), s.addresses())).toList();
    }

    /** Actions refused because their term was not current (for the metric). */
    public long refused() {
        return refused;
    }

    /** The data plane: the embedded server answers with {@code changes} (the desired answers every daemon serves). */
    public Future<Void> serve(List<DnsChange> changes) {
        return embedded.apply(changes);
    }

    @Override
    public boolean current(Term term) {
        return coord.leadership().current(term);
    }

    private <T> Future<T> guard(Term term, String what, Supplier<Future<T>> action) {
        if (!current(term)) {
            refused++;
            String why = coord.unavailable().map(u -> "the coordination store is unavailable (" + u + ")")
                    .orElse(coord.leadership().acting().map(t -> "this daemon now acts under " + t.describe())
                            .orElse("this daemon does not lead now"));
            log.warn("ACTION refused: {} under {}: {}", what, term.describe(), why);
            return Future.failedFuture(new StaleTermException(term, why));
        }
        return action.get();
    }

    /**
     * Makes {@code changes} the desired answers: journals the intent and writes them to the shared state
     * (with {@code state}, in the same guarded write), from where every daemon's embedded server serves
     * them; journals the outcome.
     */
    public Future<Void> desire(Term term, List<DnsChange> changes, Map<String, Optional<JsonObject>> state, String why) {
        List<String> names = changes.stream().map(DnsChange::name).toList();
        return guard(term, "desire " + names, () -> {
            JsonObject intent = entry(term, "desire", String.join(",", names), why).put("phase", "intent");
            return journal(term, intent).compose(v -> {
                Map<String, Optional<JsonObject>> values = new LinkedHashMap<>(state);
                // The token beside what it publishes: who wrote an answer, under which term, is in the answer.
                changes.forEach(c -> values.put(StateJson.DESIRED + c.name(), Optional.of(StateJson.change(c)
                        .put("epoch", term.epoch()).put("token", term.token()))));
                return coord.shared().put(term, values);
            }).transform(ar -> finished(term, intent, ar));
        });
    }

    /** Publishes {@code changes} to the remote providers (nothing to do without one), journaled before and after. */
    public Future<Void> publish(Term term, List<DnsChange> changes, String why) {
        if (remote.isEmpty()) {
            return guard(term, "publish", Future::succeededFuture);
        }
        String names = String.join(",", changes.stream().map(DnsChange::name).toList());
        return guard(term, "publish " + names + " to " + remote.get().name(), () -> {
            JsonObject intent = entry(term, "publish", names, why).put("provider", remote.get().name()).put("phase", "intent");
            return journal(term, intent).compose(v -> guard(term, "publish " + names + " to " + remote.get().name(), () -> remote.get().apply(changes)))
                    .transform(ar -> finished(term, intent, ar));
        });
    }

    /** The desired answers and the remote providers, in that order: what a role change's write name needs. */
    @Override
    public Future<Void> publishWriteName(Term term, List<DnsChange> changes, String why) {
        return desire(term, changes, Map.of(), why).compose(v -> publish(term, changes, why));
    }

    private Future<Void> finished(Term term, JsonObject intent, io.vertx.core.AsyncResult<Void> ar) {
        return outcome(term, intent, ar.failed() ? ar.cause() : null)
                .transform(x -> ar.succeeded() ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(ar.cause()));
    }

    /** Writes the state a next leader needs ({@code state/…}) under {@code term}. */
    public Future<Void> saveState(Term term, Map<String, Optional<JsonObject>> state) {
        return guard(term, "save " + state.keySet(), () -> coord.shared().put(term, state));
    }

    /** Publishes {@code drifted} to {@code provider} again (records edited by hand), journaled like any publish. */
    public Future<Void> repair(Term term, DnsProvider provider, List<DnsChange> drifted) {
        String names = String.join(",", drifted.stream().map(DnsChange::name).toList());
        return guard(term, "repair " + names + " at " + provider.name(), () -> {
            JsonObject intent = entry(term, "repair", names, "records at " + provider.name() + " differ from the desired answers").put("phase", "intent");
            return journal(term, intent).compose(v -> provider.apply(drifted)).transform(ar -> finished(term, intent, ar));
        });
    }

    private Future<JsonObject> outcome(Term term, JsonObject intent, Throwable err) {
        JsonObject done = intent.copy().put("time", now.get()).put("phase", err == null ? "done" : "failed");
        done.remove("seq");
        if (err != null) {
            done.put("error", err.getMessage());
        }
        // A refused outcome cannot be journaled under a lost term; the intent without an outcome says it did not finish.
        return journal(term, done).otherwise(done);
    }

    private JsonObject entry(Term term, String action, String subject, String why) {
        return new JsonObject().put("time", now.get()).put("kind", ACTION).put("subject", subject).put("actor", "automation")
                .put("action", action).put("message", why).put("epoch", term.epoch()).put("token", term.token()).put("holder", term.holder());
    }

    @Override
    public Future<JsonObject> journal(Term term, JsonObject entry) {
        return coord.shared().journal(term, entry.put("epoch", term.epoch()).put("token", term.token()));
    }

    @Override
    public Future<List<JsonObject>> readJournal(Predicate<JsonObject> filter, int limit) {
        return coord.shared().readJournal(filter, limit);
    }

    @Override
    public Future<Void> fence(Term term, ReplicationProvider provider, DatabaseMember member) {
        return guard(term, "fence " + member.id(), () -> provider.fence(member));
    }

    @Override
    public Future<Void> unfence(Term term, ReplicationProvider provider, DatabaseMember member) {
        return guard(term, "unfence " + member.id(), () -> provider.unfence(member));
    }

    @Override
    public Future<Void> promote(Term term, ReplicationProvider provider, DatabaseMember member, Duration timeout) {
        return guard(term, "promote " + member.id(), () -> provider.promote(member, timeout));
    }

    @Override
    public Future<String> repoint(Term term, ReplicationProvider provider, DatabaseMember member, DatabaseMember primary, boolean wasPrimary) {
        return guard(term, "repoint " + member.id(), () -> provider.repoint(member, primary, wasPrimary));
    }

    @Override
    public Future<String> fenceCommand(Term term, List<String> command, DatabaseMember member, Duration timeout) {
        return guard(term, "fence command for " + member.id(), () -> hook.run(command, member, timeout));
    }
}
