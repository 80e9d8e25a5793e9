package io.meridian.daemon;

import io.meridian.config.ConfigDiff;
import io.meridian.config.ConfigProblem;
import io.meridian.config.ConfigSource;
import io.meridian.config.InvalidConfigException;
import io.meridian.config.MeridianConfig;
import io.meridian.config.ReloadOutcome;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Loads the configuration again and takes it while serving (SIGHUP, {@code meridian reload},
 * {@code POST /v1/reload}). A configuration with any problem, a change that needs a restart or one that
 * removes what a standing override names changes nothing: the answer lists every problem. A good one is
 * journaled as its diff, then taken. One reload at a time, on the controller's event loop.
 */
public final class Reloader {

    private static final Logger log = LoggerFactory.getLogger(Reloader.class);

    private final Vertx vertx;
    private final Context context;
    private final ConfigSource source;
    private final Supplier<MeridianConfig> current;
    private final Controller controller;
    private final Consumer<MeridianConfig> take;
    private Future<ReloadOutcome> last = Future.succeededFuture();

    /**
     * @param source  where the configuration is read again; null when there is none (a test's daemon)
     * @param current the configuration in force
     * @param take    takes a checked configuration everywhere it is used
     */
    Reloader(Vertx vertx, Context context, ConfigSource source, Supplier<MeridianConfig> current, Controller controller,
             Consumer<MeridianConfig> take) {
        this.vertx = vertx;
        this.context = context;
        this.source = source;
        this.current = current;
        this.controller = controller;
        this.take = take;
    }

    /** Reloads after any reload in progress; from any thread. {@code actor} is journaled (a token's name, or {@code SIGHUP}). */
    public Future<ReloadOutcome> reload(String actor) {
        Promise<ReloadOutcome> done = Promise.promise();
        context.runOnContext(v -> {
            last = last.transform(x -> once(actor));
            last.onComplete(done);
        });
        return done.future();
    }

    private Future<ReloadOutcome> once(String actor) {
        if (source == null) {
            return finish(actor, new ReloadOutcome(ReloadOutcome.Kind.REFUSED, List.of(),
                    List.of("this daemon was started without a configuration directory: there is nothing to reload")));
        }
        return vertx.executeBlocking(source::load).transform(ar -> {
            if (ar.failed()) {
                List<String> problems = ar.cause() instanceof InvalidConfigException e
                        ? e.problems().stream().map(ConfigProblem::toString).toList()
                        : List.of("the configuration could not be read: " + ar.cause().getMessage());
                return finish(actor, new ReloadOutcome(ReloadOutcome.Kind.INVALID, List.of(), problems));
            }
            MeridianConfig next = ar.result();
            ConfigDiff diff = ConfigDiff.between(current.get(), next);
            List<String> problems = new ArrayList<>(diff.needsRestart());
            problems.addAll(controller.engine().reconfigureProblems(next));
            if (!problems.isEmpty()) {
                return finish(actor, new ReloadOutcome(ReloadOutcome.Kind.REFUSED, diff.changes(), problems));
            }
            ReloadOutcome taken = new ReloadOutcome(ReloadOutcome.Kind.APPLIED, diff.changes(), List.of());
            if (diff.changes().isEmpty()) {
                return finish(actor, taken);
            }
            // Journaled first: a change nobody can find in the history is not taken.
            return controller.journal(entry(actor, taken)).transform(written -> {
                if (written.failed()) {
                    ReloadOutcome refused = new ReloadOutcome(ReloadOutcome.Kind.REFUSED, diff.changes(),
                            List.of("the journal cannot be written, so nothing was changed: " + written.cause().getMessage()));
                    log.warn("RELOAD by {} refused: {}", actor, refused.summary());
                    return Future.succeededFuture(refused);
                }
                take.accept(next);
                log.info("RELOAD by {}: {}", actor, taken.summary());
                return Future.succeededFuture(taken);
            });
        });
    }

    /** A reload that changed nothing: said in the log and (if it can be) the journal; the answer does not wait on the disk. */
    private Future<ReloadOutcome> finish(String actor, ReloadOutcome o) {
        if (o.applied()) {
            log.info("RELOAD by {}: {}", actor, o.summary());
        } else {
            log.warn("RELOAD by {} refused: {}", actor, o.summary());
        }
        controller.journal(entry(actor, o));
        return Future.succeededFuture(o);
    }

    private static JsonObject entry(String actor, ReloadOutcome o) {
        return new JsonObject().put("kind", "RELOAD").put("subject", "config").put("actor", actor)
                .put("outcome", o.kind().name().toLowerCase(java.util.Locale.ROOT)).put("message", o.summary())
                .put("changes", new JsonArray(o.changes())).put("problems", new JsonArray(o.problems()));
    }
}
