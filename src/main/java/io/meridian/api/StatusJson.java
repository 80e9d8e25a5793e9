package io.meridian.api;

import io.meridian.config.EndpointConfig;
import io.meridian.config.RegionConfig;
import io.meridian.config.ServiceConfig;
import io.meridian.engine.Engine;
import io.meridian.engine.ManualOverride;
import io.meridian.health.Observation;
import io.meridian.health.RegionStatus;
import io.meridian.health.TargetHealth;
import io.meridian.health.TargetVerdict;
import io.meridian.plan.ServiceState;
import io.meridian.policy.AnswerSet;
import io.meridian.policy.DesiredAnswers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/** JSON shapes of {@code /v1/status} and {@code /v1/regions/{region}/health}. Field names are stable. */
final class StatusJson {

    private StatusJson() {
    }

    static JsonObject status(StatusSource s) {
        JsonObject services = new JsonObject();
        for (ServiceConfig svc : s.config().services()) {
            services.put(svc.name(), service(s, svc));
        }
        JsonObject regions = new JsonObject();
        for (RegionConfig r : s.config().regions()) {
            regions.put(r.name(), region(s, r));
        }
        Engine engine = s.engine();
        return new JsonObject()
                .put("vantage", s.config().vantage())
                .put("vantages", new JsonArray(engine.health().vantages()))
                .put("partitioned_vantages", new JsonArray(List.copyOf(engine.health().partitionedVantages())))
                .put("zone", s.config().dns().zone())
                .put("ready", s.ready())
                .put("coordination", s.coordination())
                .put("overrides", overrides(engine))
                .put("services", services)
                .put("regions", regions);
    }

    /** Standing operator overrides with who set them, when, why and until when. */
    static JsonArray overrides(Engine engine) {
        JsonArray out = new JsonArray();
        engine.overrides().forEach(o -> out.add(io.meridian.coord.StateJson.override(o).put("description", o.describe())));
        return out;
    }

    static JsonObject service(StatusSource s, ServiceConfig svc) {
        Engine engine = s.engine();
        DesiredAnswers p = engine.published().get(svc.name());
        DesiredAnswers d = engine.desired().get(svc.name());
        ServiceState st = engine.state(svc.name());
        JsonObject o = new JsonObject()
                .put("policy", svc.policy().yamlName())
                .put("ttl_seconds", svc.ttl().toSeconds())
                .put("regions", new JsonArray(svc.regions()))
                .put("answers", p == null ? new JsonArray() : answers(p.sets()))
                .put("fail_open", p != null && p.failOpen())
                .put("reason", p == null ? "nothing published yet" : p.reason())
                .put("paused", engine.paused(svc.name()))
                .put("drained", new JsonArray(List.copyOf(engine.drainedFor(svc.name()))))
                .put("pinned_to", engine.pin(svc.name()).map(ManualOverride::region).orElse(null))
                .put("cooldown_until", st.cooldownUntil().map(Object::toString).orElse(null))
                .put("recent_failovers", st.failovers().size());
        if (p != null && !p.byClient().isEmpty()) {
            JsonObject byClient = new JsonObject();
            p.byClient().forEach((client, sets) -> byClient.put(client, answers(sets)));
            o.put("answers_by_client_region", byClient);
        }
        if (p != null && p.load().declared()) {
            o.put("load", io.meridian.coord.StateJson.load(p.load()).put("summary", p.load().describe()));
        }
        if (d != null && !d.sameAnswers(p)) {
            o.put("pending", new JsonObject().put("answers", answers(d.sets())).put("reason", d.reason()));
        }
        return o;
    }

    static JsonArray answers(List<AnswerSet> sets) {
        JsonArray out = new JsonArray();
        for (AnswerSet set : sets) {
            out.add(new JsonObject().put("region", set.label()).put("weight", set.weight())
                    .put("addresses", new JsonArray(set.addresses())));
        }
        return out;
    }

    static JsonObject region(StatusSource s, RegionConfig r) {
        Engine engine = s.engine();
        RegionStatus status = engine.regions().get(r.name());
        List<String> ids = engine.targetsOf(r.name());
        JsonArray endpoints = new JsonArray();
        for (EndpointConfig e : r.endpoints()) {
            String id = e.id(r.name());
            TargetVerdict v = engine.health().verdict(id);
            StatusSource.Probed probed = s.probed(id);
            JsonObject byVantage = new JsonObject();
            for (String vantage : engine.health().vantages()) {
                engine.health().view(id, vantage).flatMap(TargetHealth::last).ifPresent(o -> byVantage.put(vantage, observation(o,
                        engine.health().view(id, vantage).get())));
            }
            endpoints.add(new JsonObject()
                    .put("id", id)
                    .put("address", e.address())
                    .put("port", e.port())
                    .put("check", e.check())
                    .put("state", v.state().name())
                    .put("since", v.since().toString())
                    .put("votes", v.votes().toString())
                    .put("reason", v.reason())
                    .put("last_probe_ms", new JsonObject(new java.util.LinkedHashMap<>(probed.phases())))
                    .put("flaps_last_hour", probed.flaps())
                    .put("vantages", byVantage));
        }
        double[] latency = engine.health().latencyPercentiles(ids, 0.5, 0.95);
        return new JsonObject()
                .put("priority", r.priority())
                .put("weight", r.weight())
                .put("up", status != null && status.up())
                .put("degraded", status != null && status.degraded())
                .put("reason", status == null ? "not evaluated yet" : status.reason())
                .put("latency_p50_ms", finite(latency[0]))
                .put("latency_p95_ms", finite(latency[1]))
                .put("capacity", capacity(engine, r))
                .put("endpoints", endpoints);
    }

    /** Declared, and (with a capacity report) what the last report said and what the plan uses. */
    private static JsonObject capacity(Engine engine, RegionConfig r) {
        if (r.capacity().isEmpty()) {
            return null;
        }
        JsonObject c = new JsonObject().put("declared", r.capacity().get());
        engine.capacityUse(r.name()).ifPresent(u -> c.put("used", u.used()).put("reported", u.reported().orElse(null))
                .put("ready", u.ready()).put("last_report", u.lastReport().map(Object::toString).orElse(null)).put("detail", u.detail()));
        return c;
    }

    private static JsonObject observation(Observation o, TargetHealth view) {
        return new JsonObject()
                .put("state", view.state().name())
                .put("degraded", view.degraded())
                .put("last_checked", o.at().toString())
                .put("last_latency_ms", o.latency().toNanos() / 1e6)
                .put("last_error", o.ok() ? null : o.reason() + ": " + o.message());
    }

    private static Double finite(double d) {
        return Double.isNaN(d) ? null : Math.round(d * 100) / 100.0;
    }
}
