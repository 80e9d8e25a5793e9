package io.meridian.api;

import io.meridian.config.EndpointConfig;
import io.meridian.config.RegionConfig;
import io.meridian.config.ServiceConfig;
import io.meridian.engine.Engine;
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
import java.util.Map;

/** JSON shapes of {@code /v1/status} and {@code /v1/regions/{region}/health}. Field names are stable. */
final class StatusJson {

    private StatusJson() {
    }

    static JsonObject status(StatusSource s) {
        Engine engine = s.engine();
        JsonObject services = new JsonObject();
        Map<String, DesiredAnswers> published = engine.published();
        Map<String, DesiredAnswers> desired = engine.desired();
        for (ServiceConfig svc : s.config().services()) {
            DesiredAnswers p = published.get(svc.name());
            DesiredAnswers d = desired.get(svc.name());
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
                    .put("cooldown_until", st.cooldownUntil().map(Object::toString).orElse(null));
            if (p != null && !p.byClient().isEmpty()) {
                JsonObject byClient = new JsonObject();
                p.byClient().forEach((client, sets) -> byClient.put(client, answers(sets)));
                o.put("answers_by_client_region", byClient);
            }
            if (d != null && !d.sameAnswers(p)) {
                o.put("pending", new JsonObject().put("answers", answers(d.sets())).put("reason", d.reason()));
            }
            services.put(svc.name(), o);
        }
        JsonObject regions = new JsonObject();
        for (RegionConfig r : s.config().regions()) {
            regions.put(r.name(), region(s, r));
        }
        return new JsonObject()
                .put("vantage", s.config().vantage())
                .put("vantages", new JsonArray(engine.health().vantages()))
                .put("partitioned_vantages", new JsonArray(List.copyOf(engine.health().partitionedVantages())))
                .put("zone", s.config().dns().zone())
                .put("ready", s.ready())
                .put("services", services)
                .put("regions", regions);
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
                    .put("vantages", byVantage));
        }
        return new JsonObject()
                .put("priority", r.priority())
                .put("weight", r.weight())
                .put("up", status != null && status.up())
                .put("degraded", status != null && status.degraded())
                .put("reason", status == null ? "not evaluated yet" : status.reason())
                .put("latency_p50_ms", finite(engine.health().latencyPercentile(ids, 0.5)))
                .put("latency_p95_ms", finite(engine.health().latencyPercentile(ids, 0.95)))
                .put("endpoints", endpoints);
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
