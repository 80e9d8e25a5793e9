package io.meridian.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** Larger files are refused unread: parse time grows faster than size, and no real configuration is near it. */
    static final long MAX_BYTES = 256 * 1024;

    private final String file;
    private final List<ConfigProblem> problems;

    YamlReader(String file, List<ConfigProblem> problems) {
        this.file = file;
        this.problems = problems;
    }

    /**
     * Reads {@code path}: refused by size before any parsing, checked to be UTF-8 (the first bad byte is
     * reported where it is), then parsed as exactly one YAML document.
     */
    Optional<YamlNode> read(Path path) {
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                problems.add(new ConfigProblem(file, 1, 1, "file is " + size + " bytes but must be at most " + MAX_BYTES
                        + " (a configuration file this large is a mistake)"));
                return Optional.empty();
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            problems.add(new ConfigProblem(file, 1, 1, "cannot be read: " + e.getMessage()));
            return Optional.empty();
        }
        int bad = firstInvalidUtf8(bytes);
        if (bad >= 0) {
            int line = 1;
            int col = 1;
            for (int i = 0; i < bad; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    col = 1;
                } else if ((bytes[i] & 0xC0) != 0x80) {
                    col++; // one column per character, not per byte
                }
            }
            problems.add(new ConfigProblem(file, line, col, String.format("byte 0x%02X is not valid UTF-8 here", bytes[bad] & 0xFF)));
            return Optional.empty();
        }
        return read(new java.io.StringReader(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The document's root node, or empty when the file is empty or not valid YAML (a problem is recorded). */
    Optional<YamlNode> read(Reader reader) {
        try (JsonParser p = FACTORY.createParser(reader)) {
            if (p.nextToken() == null) {
                problems.add(new ConfigProblem(file, 1, 1, "file is empty"));
                return Optional.empty();
            }
            YamlNode root = readValue(p);
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                problems.add(new ConfigProblem(file, Math.max(1, at.getLineNr()), Math.max(1, at.getColumnNr()),
                        "a second YAML document starts here, but a file holds one"));
                return Optional.empty();
            }
            return Optional.of(root);
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

    /** The offset of the first byte that is not part of well-formed UTF-8 (no overlongs, no surrogates), or -1. */
    static int firstInvalidUtf8(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            int n;
            int min;
            if (c < 0x80) {
                i++;
                continue;
            } else if (c >= 0xC2 && c <= 0xDF) {
                n = 1;
                min = 0x80;
            } else if (c >= 0xE0 && c <= 0xEF) {
                n = 2;
                min = 0x800;
            } else if (c >= 0xF0 && c <= 0xF4) {
                n = 3;
                min = 0x10000;
            } else {
                return i;
            }
            int cp = c & (0x3F >> n);
            for (int k = 1; k <= n; k++) {
                if (i + k >= b.length || (b[i + k] & 0xC0) != 0x80) {
                    return i; // a lead byte whose sequence does not continue
                }
                cp = (cp << 6) | (b[i + k] & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return i;
            }
            i += n + 1;
        }
        return -1;
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
