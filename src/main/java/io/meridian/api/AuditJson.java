package io.meridian.api;

import io.meridian.engine.Intent;
import io.meridian.engine.Outcome;
import io.meridian.engine.Request;
import io.meridian.plan.Action;
import io.meridian.plan.Plan;
import io.meridian.plan.Readiness;
import io.meridian.policy.DesiredAnswers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Map;

/** The audit line of an operator request: who, what, on what, why, when, the answers before and the plan after, outcome. */
public final class AuditJson {

    private AuditJson() {
    }

    public static JsonObject entry(Instant now, Request r, Outcome o, Map<String, DesiredAnswers> before) {
        JsonObject was = new JsonObject();
        before.forEach((service, answers) -> was.put(service, answers.describe()));
        return new JsonObject()
                .put("time", now.toString())
                .put("kind", "OPERATOR")
                .put("actor", r.actor())
                .put("action", action(r.intent()))
                .put("subject", subject(r.intent()))
                .put("reason", r.reason())
                .put("forced", r.force())
                .put("outcome", o.accepted() ? "accepted" : "refused")
                .put("message", o.message())
                .put("before", was)
                .put("plan", plan(o.plan()))
                .put("readiness", readiness(o.readiness()))
                .put("scale_requests", scaleRequests(o.asks()));
    }

    /** The scale-ups a change asks for: {@code [{"region", "capacity", "has", "services"}]}. */
    public static JsonArray scaleRequests(java.util.List<io.meridian.plan.ScaleRequests.Ask> asks) {
        JsonArray out = new JsonArray();
        asks.forEach(a -> out.add(new JsonObject().put("region", a.region()).put("capacity", a.capacity()).put("has", a.has())
                .put("services", a.services())));
        return out;
    }

    /** The readiness checks of a planned change: {@code [{"service", "region", "check", "ok", "detail"}]}. */
    public static JsonArray readiness(java.util.List<Readiness.Check> checks) {
        JsonArray out = new JsonArray();
        checks.forEach(c -> out.add(new JsonObject().put("service", c.service()).put("region", c.region()).put("check", c.name())
                .put("ok", c.ok()).put("detail", c.detail())));
        return out;
    }

    public static JsonObject plan(Plan p) {
        return new JsonObject()
                .put("actions", actions(p.actions()))
                .put("paused", actions(p.paused()))
                .put("held", new JsonArray(p.held()));
    }

    private static JsonArray actions(java.util.List<Action> actions) {
        JsonArray out = new JsonArray();
        for (Action a : actions) {
            out.add(new JsonObject().put("service", a.service()).put("kind", a.kind().name())
                    .put("answers", a.answers().describe()).put("fail_open", a.answers().failOpen()).put("reason", a.reason())
                    .put("load", a.answers().load().declared() ? a.answers().load().describe() : null));
        }
        return out;
    }

    static String action(Intent i) {
        return switch (i.getClass().getSimpleName()) {
            case "Drain" -> "drain";
            case "Undrain" -> "undrain";
            case "Pause" -> "pause";
            case "Resume" -> "resume";
            case "Failover" -> "failover";
            case "Failback" -> "failback";
            default -> "ack";
        };
    }

    static String subject(Intent i) {
        if (i instanceof Intent.Drain d) {
            return d.region() + d.service().map(s -> "/" + s).orElse("");
        }
        if (i instanceof Intent.Undrain u) {
            return u.region() + u.service().map(s -> "/" + s).orElse("");
        }
        if (i instanceof Intent.Pause p) {
            return p.service().orElse("*");
        }
        if (i instanceof Intent.Resume p) {
            return p.service().orElse("*");
        }
        if (i instanceof Intent.Failover f) {
            return f.service() + "->" + f.to();
        }
        if (i instanceof Intent.Failback f) {
            return f.service();
        }
        return ((Intent.Acknowledge) i).service();
    }
}
