package io.meridian.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meridian.config.Durations;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads a scenario file; a bad one fails with a message naming the file, the entry and the field. */
public final class ScenarioLoader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ScenarioLoader() {
    }

    public static Scenario load(Path file) throws IOException {
        JsonNode root = YAML.readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + ": a scenario must be a mapping with duration, world, operator, expect");
        }
        String where = file.getFileName().toString();
        List<Scenario.WorldChange> world = new ArrayList<>();
        int i = 0;
        for (JsonNode n : root.path("world")) {
            String at = where + ": world[" + i++ + "]";
            String state = text(n, "state", at).orElse("up");
            if (!state.equals("up") && !state.equals("down")) {
                throw new IllegalArgumentException(at + ".state was '" + state + "' but must be up or down");
            }
            boolean ok = state.equals("up");
            world.add(new Scenario.WorldChange(duration(n, "at", at), text(n, "region", at), text(n, "target", at),
                    text(n, "vantage", at), ok, text(n, "reason", at).orElse(ok ? "ok" : "connect_refused"),
                    n.has("latency") ? duration(n, "latency", at) : Duration.ofMillis(ok ? 20 : 1)));
        }
        List<Scenario.OperatorStep> operator = new ArrayList<>();
        i = 0;
        for (JsonNode n : root.path("operator")) {
            String at = where + ": operator[" + i++ + "]";
            operator.add(new Scenario.OperatorStep(duration(n, "at", at), text(n, "command", at)
                    .orElseThrow(() -> new IllegalArgumentException(at + ": missing command"))));
        }
        List<Scenario.Expectation> expect = new ArrayList<>();
        i = 0;
        for (JsonNode n : root.path("expect")) {
            String at = where + ": expect[" + i++ + "]";
            Optional<List<String>> regions = Optional.empty();
            if (n.has("regions")) {
                List<String> r = new ArrayList<>();
                n.get("regions").forEach(x -> r.add(x.asText()));
                regions = Optional.of(r);
            }
            Optional<java.util.Map<String, Integer>> weights = Optional.empty();
            if (n.has("weights")) {
                if (!n.get("weights").isObject()) {
                    throw new IllegalArgumentException(at + ".weights must be a mapping of region to weight");
                }
                java.util.Map<String, Integer> w = new java.util.LinkedHashMap<>();
                n.get("weights").fields().forEachRemaining(f -> {
                    if (!f.getValue().canConvertToInt()) {
                        throw new IllegalArgumentException(at + ".weights." + f.getKey() + " was '" + f.getValue().asText()
                                + "' but must be an integer");
                    }
                    w.put(f.getKey(), f.getValue().asInt());
                });
                weights = Optional.of(w);
            }
            expect.add(new Scenario.Expectation(duration(n, "at", at), text(n, "service", at)
                    .orElseThrow(() -> new IllegalArgumentException(at + ": missing service")), regions,
                    n.has("fail-open") ? Optional.of(n.get("fail-open").asBoolean()) : Optional.empty(), weights));
        }
        return new Scenario(root.path("description").asText(""), duration(root, "duration", where), world, operator, expect);
    }

    private static Optional<String> text(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isValueNode()) {
            throw new IllegalArgumentException(at + "." + field + " must be a text");
        }
        return Optional.of(v.asText());
    }

    private static Duration duration(JsonNode n, String field, String at) {
        String text = text(n, field, at).orElseThrow(() -> new IllegalArgumentException(at + ": missing " + field));
        return Durations.parse(text).orElseThrow(() -> new IllegalArgumentException(
                at + "." + field + " was '" + text + "' but must be a duration such as 500ms, 2s, 1m"));
    }
}
