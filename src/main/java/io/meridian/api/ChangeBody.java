package io.meridian.api;

import io.meridian.config.Durations;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON body of a change request: a required {@code reason}, {@code dry_run}, {@code force}, and
 * the fields of the change. Anything else, or a field of the wrong type, is an error naming the field.
 */
record ChangeBody(String reason, boolean dryRun, boolean force, Optional<String> service, Optional<String> to,
                  Optional<Duration> expiresIn) {

    /** Bad input: the field and what is wrong with it. */
    static final class Invalid extends Exception {
        final String field;

        Invalid(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }

    static final Set<String> COMMON = Set.of("reason", "dry_run", "force");

    static ChangeBody parse(String text, Set<String> extra) throws Invalid {
        JsonObject body;
        try {
            body = text == null || text.isBlank() ? new JsonObject() : new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new Invalid("body", "must be a JSON object (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        Set<String> allowed = new TreeSet<>(COMMON);
        allowed.addAll(extra);
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
        return new ChangeBody(reason, bool(body, "dry_run"), bool(body, "force"), string(body, "service"), string(body, "to"), expires);
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
