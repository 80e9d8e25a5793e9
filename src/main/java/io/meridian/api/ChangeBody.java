package io.meridian.api;

import io.meridian.config.Durations;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON body of a change request: a required {@code reason}, {@code dry_run}, {@code force},
 * {@code expect_plan} (the {@code plan_id} of the dry run the caller saw: apply only that plan), and
 * the fields of the change. Anything else, or a field of the wrong type, is an error naming the field.
 */
record ChangeBody(String reason, boolean dryRun, boolean force, Optional<String> service, Optional<String> to,
                  Optional<Duration> expiresIn, Optional<String> expectPlan) {

    /** Bad input: the field and what is wrong with it. */
    static final class Invalid extends Exception {
        final String field;

        Invalid(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }

    static final Set<String> COMMON = Set.of("reason", "dry_run", "force", "expect_plan");

    static ChangeBody parse(String text, Set<String> extra) throws Invalid {
        Set<String> allowed = new TreeSet<>(COMMON);
        allowed.addAll(extra);
        JsonObject body;
        try {
            body = text == null || text.isBlank() ? new JsonObject() : new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new Invalid("body", "must be a JSON object with a \"reason\" (fields: " + String.join(", ", allowed) + "), but "
                    + whatItWas(text));
        }
        for (String k : body.fieldNames()) {
            if (!allowed.contains(k)) {
                throw new Invalid(k, "unknown field (expected one of: " + String.join(", ", allowed) + ")");
            }
        }
        String reason = string(body, "reason").orElseThrow(() -> new Invalid("reason", "is required: say why, for the audit trail"));
        if (reason.isBlank() || reason.length() > 1000) {
            throw new Invalid("reason", "must be 1-1000 characters");
        }
        Optional<Duration> expires = Optional.empty();
        Optional<String> e = string(body, "expires_in");
        if (e.isPresent()) {
            expires = Optional.of(Durations.parse(e.get()).filter(d -> !d.isZero())
                    .orElseThrow(() -> new Invalid("expires_in", "was '" + e.get() + "' but must be a duration such as 30m, 2h")));
        }
        return new ChangeBody(reason, bool(body, "dry_run"), bool(body, "force"), string(body, "service"), string(body, "to"), expires,
                string(body, "expect_plan"));
    }

    /** Said in the terms of the API, not of the JSON library's types. */
    private static String whatItWas(String text) {
        try {
            Object v = Json.decodeValue(text);
            return "it was " + (v instanceof JsonArray ? "an array" : v instanceof String ? "a string" : v instanceof Boolean ? "true or false"
                    : v == null ? "null" : "a number");
        } catch (DecodeException e) {
            if (e.getCause() instanceof JsonProcessingException j && j.getLocation() != null) {
                return "it is not valid JSON (line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() + ")";
            }
            return "it is not valid JSON";
        }
    }

    private static Optional<String> string(JsonObject body, String field) throws Invalid {
        Object v = body.getValue(field);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String s)) {
            throw new Invalid(field, "must be a string, was " + v);
        }
        return Optional.of(s);
    }

    private static boolean bool(JsonObject body, String field) throws Invalid {
        Object v = body.getValue(field);
        if (v == null) {
            return false;
        }
        if (!(v instanceof Boolean b)) {
            throw new Invalid(field, "must be true or false, was " + v);
        }
        return b;
    }
}
