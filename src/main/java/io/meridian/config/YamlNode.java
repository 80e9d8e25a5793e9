package io.meridian.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML tree that remembers where every node stood in its file, so that validation can say
 * {@code regions/eu-west.yaml:12:5} instead of "somewhere in eu-west".
 */
sealed interface YamlNode {

    int line();

    int column();

    /** A human name of the node's kind for "was a list but must be a mapping" messages. */
    String kind();

    record Scalar(String text, boolean isNull, int line, int column) implements YamlNode {
        @Override
        public String kind() {
            return isNull ? "empty" : "'" + text + "'"; // shortened and escaped by ConfigProblem
        }
    }

    record Sequence(List<YamlNode> items, int line, int column) implements YamlNode {
        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A mapping; {@code keys} holds the position of each key, {@code values} its value. */
    record Mapping(Map<String, YamlNode> values, Map<String, Scalar> keys, int line, int column) implements YamlNode {

        public Mapping {
            values = new LinkedHashMap<>(values);
            keys = new LinkedHashMap<>(keys);
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }
}
