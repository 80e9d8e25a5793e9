package io.meridian.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads one YAML document with Jackson's streaming parser into a {@link YamlNode} tree that keeps
 * line and column of every node. Syntax errors and duplicate keys become problems, not exceptions.
 */
final class YamlReader {

    private static final YAMLFactory FACTORY = new YAMLFactory();

    private final String file;
    private final List<ConfigProblem> problems;

    YamlReader(String file, List<ConfigProblem> problems) {
        this.file = file;
        this.problems = problems;
    }

    /** The document's root node, or empty when the file is empty or not valid YAML (a problem is recorded). */
    Optional<YamlNode> read(Reader reader) {
        try (JsonParser p = FACTORY.createParser(reader)) {
            if (p.nextToken() == null) {
                problems.add(new ConfigProblem(file, 1, 1, "file is empty"));
                return Optional.empty();
            }
            return Optional.of(readValue(p));
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            int line = loc == null ? 1 : Math.max(1, loc.getLineNr());
            int col = loc == null ? 1 : Math.max(1, loc.getColumnNr());
            problems.add(new ConfigProblem(file, line, col, "not valid YAML: " + firstLine(e.getOriginalMessage())));
            return Optional.empty();
        } catch (IOException e) {
            problems.add(new ConfigProblem(file, 1, 1, "cannot be read: " + e.getMessage()));
            return Optional.empty();
        }
    }

    private static String firstLine(String message) {
        String m = message == null ? "syntax error" : message.strip();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl).strip();
    }

    private YamlNode readValue(JsonParser p) throws IOException {
        JsonLocation loc = p.currentTokenLocation();
        int line = loc.getLineNr();
        int col = loc.getColumnNr();
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT -> {
                Map<String, YamlNode> values = new LinkedHashMap<>();
                Map<String, YamlNode.Scalar> keys = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation keyLoc = p.currentTokenLocation();
                    YamlNode.Scalar keyNode = new YamlNode.Scalar(key, false, keyLoc.getLineNr(), keyLoc.getColumnNr());
                    p.nextToken();
                    YamlNode value = readValue(p);
                    if (keys.containsKey(key)) {
                        problems.add(new ConfigProblem(file, keyNode.line(), keyNode.column(),
                                "duplicate key '" + key + "' (first set on line " + keys.get(key).line() + ")"));
                        continue;
                    }
                    keys.put(key, keyNode);
                    values.put(key, value);
                }
                return new YamlNode.Mapping(values, keys, line, col);
            }
            case START_ARRAY -> {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(readValue(p));
                }
                return new YamlNode.Sequence(items, line, col);
            }
            case VALUE_NULL -> {
                return new YamlNode.Scalar("", true, line, col);
            }
            default -> {
                return new YamlNode.Scalar(p.getText(), false, line, col);
            }
        }
    }
}
