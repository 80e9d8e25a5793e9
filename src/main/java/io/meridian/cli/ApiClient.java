package io.meridian.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The CLI's side of the HTTP API: plain blocking calls, one per command. */
final class ApiClient {

    /** An answer of the API: status and JSON body. */
    record Response(int status, JsonObject body) {

        String errorMessage() {
            JsonObject e = body.getJsonObject("error");
            return e == null ? body.getString("message", "HTTP " + status) : e.getString("message", "HTTP " + status);
        }
    }

    /** The API could not be reached. */
    static final class Unreachable extends Exception {
        Unreachable(String message) {
            super(message);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;

    ApiClient(String base, String token) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
    }

    Response get(String path) throws Unreachable {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response post(String path, JsonObject body) throws Unreachable {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
    }

    private URI uri(String path) throws Unreachable {
        try {
            return URI.create(base + path);
        } catch (IllegalArgumentException e) {
            throw new Unreachable("--api " + base + " is not a URL: " + e.getMessage());
        }
    }

    private Response send(HttpRequest.Builder b) throws Unreachable {
        if (token != null && !token.isBlank()) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            JsonObject body;
            try {
                body = r.body().isBlank() ? new JsonObject() : new JsonObject(r.body());
            } catch (DecodeException e) {
                body = new JsonObject().put("text", r.body());
            }
            return new Response(r.statusCode(), body);
        } catch (IOException e) {
            throw new Unreachable("cannot reach the Meridian API at " + base + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted");
        }
    }
}
