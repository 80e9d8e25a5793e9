package io.meridian.daemon;

import io.meridian.act.ScaleHook;
import io.meridian.clock.Clock;
import io.meridian.config.MeridianConfig;
import io.meridian.config.RegionConfig;
import io.meridian.plan.Action;
import io.meridian.plan.Plan;
import io.meridian.plan.ScaleRequests;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * When to call the regions' scale hooks: a planned shift asks once it is taken (and ramps meanwhile, see
 * {@link io.meridian.policy.RegionView#draining}); an unplanned one (a failover) shifts at once and asks in
 * parallel. A region is asked again only for more than it was last asked, or once the hook's deadline has
 * passed since. A hook that fails changes nothing but says so: the shift goes on within the capacity the
 * region reports. One thread (the controller's).
 */
final class Scaling {

    private static final Logger log = LoggerFactory.getLogger(Scaling.class);

    private record Asked(double capacity, Instant at) {
    }

    private final Clock clock;
    private final Supplier<MeridianConfig> config;
    private final Function<JsonObject, Future<JsonObject>> journal;
    private final Map<String, Asked> asked = new HashMap<>();
    private ScaleHook hook;

    Scaling(Clock clock, Supplier<MeridianConfig> config, Function<JsonObject, Future<JsonObject>> journal) {
        this.clock = clock;
        this.config = config;
        this.journal = journal;
    }

    /** Where the hooks are called through; without one (tests of the engine alone) nothing is asked. */
    void hook(ScaleHook hook) {
        this.hook = hook;
    }

    /** An operator's change was taken: asks what it needs. */
    void planned(List<ScaleRequests.Ask> asks, String why) {
        asks.forEach(a -> ask(a, why));
    }

    /** Automation published {@code actions}: asks the regions they leave short of capacity. */
    void unplanned(List<Action> actions) {
        MeridianConfig c = config.get();
        for (ScaleRequests.Ask a : ScaleRequests.of(new Plan(actions, List.of()), c)) {
            Asked was = asked.get(a.region());
            boolean recent = was != null && clock.wallTime().isBefore(was.at().plus(c.region(a.region())
                    .flatMap(RegionConfig::scaleHook).orElseThrow().deadline()));
            if (!recent || was.capacity() < a.capacity() - 1e-6) {
                ask(a, "automation: " + String.join(", ", actions.stream().map(x -> x.kind() + " " + x.service()).toList()));
            }
        }
    }

    private void ask(ScaleRequests.Ask a, String why) {
        RegionConfig r = config.get().region(a.region()).orElse(null);
        if (hook == null || r == null || r.scaleHook().isEmpty()) {
            return;
        }
        asked.put(a.region(), new Asked(a.capacity(), clock.wallTime()));
        hook.ask(r.scaleHook().get(), a, why).onComplete(ar -> {
            String message = "scale-up of " + a.describe() + " asked because " + why + ": "
                    + (ar.succeeded() ? ar.result() : "FAILED, the shift goes on within the capacity it reports: " + ar.cause().getMessage());
            if (ar.succeeded()) {
                log.info("SCALE {}", message);
            } else {
                log.warn("SCALE {}", message);
            }
            journal.apply(new JsonObject().put("kind", "SCALE").put("subject", a.region()).put("actor", "automation").put("message", message));
        });
    }
}
