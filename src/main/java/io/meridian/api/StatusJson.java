package io.meridian.api;

import io.meridian.config.EndpointConfig;
import io.meridian.config.RegionConfig;
import io.meridian.config.ServiceConfig;
import io.meridian.health.RegionStatus;
import io.meridian.health.TargetHealth;
import io.meridian.policy.AnswerSet;
import io.meridian.policy.DesiredAnswers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/** JSON shapes of {@code /v1/status} and {@code /v1/regions/{region}/health}. Field names are stable. */
final class StatusJson {

    private StatusJson() {
    }

    static JsonObject status(StatusSource s) {
        JsonObject services = new JsonObject();
        Map<String, DesiredAnswers> published = s.published();
        for (ServiceConfig svc : s.config().services()) {
            DesiredAnswers p = published.get(svc.name());
            JsonObject o = new JsonObject()
                    .put("policy", svc.policy().yamlName())
                    .put("ttl_seconds", svc.ttl().toSeconds())
                    .put("regions", new JsonArray(svc.regions()));
            if (p != null) {
                o.put("answers", answers(p)).put("fail_open", p.failOpen()).put("reason", p.reason());
            } else {
                o.put("answers", new JsonArray()).put("fail_open", false).put("reason", "nothing published yet");
            }
            services.put(svc.name(), o);
        }
        JsonObject regions = new JsonObject();
        for (RegionConfig r : s.config().regions()) {
            regions.put(r.name(), region(s, r));
        }
        return new JsonObject()
                .put("vantage", s.config().vantage())
                .put("zone", s.config().dns().zone())
                .put("ready", s.ready())
                .put("services", services)
                .put("regions", regions);
    }

    static JsonArray answers(DesiredAnswers d) {
        JsonArray sets = new JsonArray();
        for (AnswerSet set : d.sets()) {
            sets.add(new JsonObject().put("region", set.label()).put("weight", set.weight())
                    .put("addresses", new JsonArray(set.addresses())));
        }
        return sets;
    }

    static JsonObject region(StatusSource s, RegionConfig r) {
        RegionStatus status = s.regions().get(r.name());
        Map<String, TargetHealth> health = s.health();
        JsonArray endpoints = new JsonArray();
        for (EndpointConfig e : r.endpoints()) {
            TargetHealth h = health.get(e.id(r.name()));
            JsonObject o = new JsonObject()
                    .put("id", e.id(r.name()))
                    .put("address", e.address())
                    .put("port", e.port())
                    .put("check", e.check())
                    .put("state", h == null ? "UNKNOWN" : h.state().name())
                    .put("since", h == null ? null : h.since().toString());
            if (h != null && h.last().isPresent()) {
                var last = h.last().get();
                o.put("last_latency_ms", last.latency().toNanos() / 1e6)
                        .put("last_checked", last.at().toString())
                        .put("last_error", last.ok() ? null : last.reason() + ": " + last.message());
            }
            endpoints.add(o);
        }
        return new JsonObject()
                .put("priority", r.priority())
                .put("weight", r.weight())
                .put("up", status != null && status.up())
                .put("reason", status == null ? "not evaluated yet" : status.reason())
                .put("endpoints", endpoints);
    }
}
