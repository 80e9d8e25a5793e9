package io.meridian.daemon;

import io.meridian.config.Durations;
import io.meridian.plan.DrillReport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Drill reports: {@code ID.json} and {@code ID.md} in {@code drills/} of the state directory; the newest {@value #KEPT} are listed. */
public final class DrillReports {

    static final int KEPT = 50;

    private final Vertx vertx;
    private final Path dir;
    private final List<JsonObject> reports = new ArrayList<>();

    /** Reads the reports already in {@code dir} (a start). */
    public DrillReports(Vertx vertx, Path dir) {
        this.vertx = vertx;
        this.dir = dir;
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted(Comparator.reverseOrder()).limit(KEPT).toList()) {
                    reports.add(new JsonObject(Files.readString(f)));
                }
            } catch (IOException | RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(DrillReports.class).warn("drill reports in {} not read: {}", dir, e.getMessage());
            }
            reports.sort(Comparator.comparing((JsonObject r) -> r.getString("started")).reversed());
        }
    }

    /** Writes both forms; the report is listed at once. */
    Future<Void> save(DrillReport r) {
        JsonObject json = json(r);
        reports.add(0, json);
        if (reports.size() > KEPT) {
            reports.remove(reports.size() - 1);
        }
        return vertx.fileSystem().mkdirs(dir.toString())
                .compose(v -> vertx.fileSystem().writeFile(dir.resolve(r.id() + ".json").toString(), Buffer.buffer(json.encodePrettily())))
                .compose(v -> vertx.fileSystem().writeFile(dir.resolve(r.id() + ".md").toString(), Buffer.buffer(r.markdown())));
    }

    JsonArray list() {
        JsonArray out = new JsonArray();
        reports.forEach(r -> out.add(new JsonObject().put("id", r.getString("id")).put("drill", r.getString("drill"))
                .put("outcome", r.getString("outcome")).put("started", r.getString("started")).put("rto_ms", r.getValue("rto_ms"))
                .put("rto_met", r.getValue("rto_met"))));
        return out;
    }

    Optional<JsonObject> json(String id) {
        return reports.stream().filter(r -> id.equals(r.getString("id"))).findFirst();
    }

    Optional<String> markdown(String id) {
        return json(id).map(r -> r.getString("markdown"));
    }

    static JsonObject json(DrillReport r) {
        JsonArray steps = new JsonArray();
        r.steps().forEach(s -> steps.add(new JsonObject().put("at", s.at().toString()).put("step", s.name()).put("detail", s.detail())
                .put("ok", s.ok())));
        JsonArray invariants = new JsonArray();
        r.invariants().forEach(i -> invariants.add(new JsonObject().put("invariant", i.name()).put("held", i.held()).put("detail", i.detail())));
        return new JsonObject().put("id", r.id()).put("drill", r.drill()).put("region", r.region()).put("actor", r.actor())
                .put("reason", r.reason()).put("started", r.started().toString()).put("ended", r.ended().toString()).put("outcome", r.outcome())
                .put("rto_ms", r.rto().map(Duration::toMillis).orElse(null)).put("rto_objective", r.rtoObjective().map(Durations::format).orElse(null))
                .put("rto_met", r.rtoMet().orElse(null))
                .put("rpo_ms", r.rpo().map(Duration::toMillis).orElse(null)).put("rpo_objective", r.rpoObjective().map(Durations::format).orElse(null))
                .put("rpo_met", r.rpoMet().orElse(null))
                .put("steps", steps).put("invariants", invariants).put("held", new JsonArray(r.held())).put("markdown", r.markdown());
    }
}
