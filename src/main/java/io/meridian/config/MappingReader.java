package io.meridian.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Typed reads of one YAML mapping. Every read that fails records a problem naming the field
 * (with its path, e.g. {@code endpoints[1].port}), the bad value and what was expected, and
 * returns empty, so that loading goes on and reports everything in one pass.
 */
final class MappingReader {

    private final String file;
    private final YamlNode.Mapping mapping;
    private final String path;
    private final List<ConfigProblem> problems;

    private MappingReader(String file, YamlNode.Mapping mapping, String path, List<ConfigProblem> problems) {
        this.file = file;
        this.mapping = mapping;
        this.path = path;
        this.problems = problems;
    }

    /** A reader of {@code node}, or empty (with a problem) when the node is not a mapping. */
    static Optional<MappingReader> of(String file, YamlNode node, String path, List<ConfigProblem> problems) {
        if (node instanceof YamlNode.Mapping m) {
            return Optional.of(new MappingReader(file, m, path, problems));
        }
        String what = path.isEmpty() ? "the document" : path;
        problems.add(new ConfigProblem(file, node.line(), node.column(), what + " was " + node.kind() + " but must be a mapping"));
        return Optional.empty();
    }

    String field(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    void problem(YamlNode at, String message) {
        problems.add(new ConfigProblem(file, at.line(), at.column(), message));
    }

    /** Records a problem for every key outside {@code allowed}. */
    void allowOnly(Set<String> allowed) {
        mapping.keys().forEach((key, node) -> {
            if (!allowed.contains(key)) {
                problem(node, "unknown key '" + field(key) + "' (expected one of: " + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        });
    }

    /** The text of a scalar field without any validation or problem: for naming an item that may be invalid. */
    Optional<String> peek(String key) {
        return mapping.values().get(key) instanceof YamlNode.Scalar s && !s.isNull() && !s.text().isBlank()
                ? Optional.of(s.text()) : Optional.empty();
    }

    boolean has(String key) {
        YamlNode n = mapping.values().get(key);
        return n != null && !(n instanceof YamlNode.Scalar s && s.isNull());
    }

    /** Adds the text of {@code key}, if it has one, to {@code into}; returns this reader. */
    MappingReader peekInto(String key, Set<String> into) {
        peek(key).ifPresent(into::add);
        return this;
    }

    Optional<YamlNode> node(String key, boolean required) {
        if (has(key)) {
            return Optional.of(mapping.values().get(key));
        }
        if (required) {
            problem(mapping, "missing required field '" + field(key) + "'");
        }
        return Optional.empty();
    }

    Optional<String> string(String key, boolean required) {
        return node(key, required).flatMap(n -> {
            if (n instanceof YamlNode.Scalar s && !s.text().isBlank()) {
                return Optional.of(s.text());
            }
            problem(n, field(key) + " was " + n.kind() + " but must be a non-empty text");
            return Optional.empty();
        });
    }

    Optional<Integer> integer(String key, boolean required, int min, int max) {
        return node(key, required).flatMap(n -> {
            if (n instanceof YamlNode.Scalar s) {
                try {
                    // ASCII digits only: Integer.parseInt also reads other scripts' digits (a full-width 80 as 80).
                    int v = s.text().trim().matches("-?[0-9]{1,10}") ? Integer.parseInt(s.text().trim()) : Integer.MIN_VALUE;
                    if (v >= min && v <= max) {
                        return Optional.of(v);
                    }
                } catch (NumberFormatException ignored) {
                    // reported below with the expected range
                }
            }
            problem(n, field(key) + " was " + n.kind() + " but must be an integer " + min + "-" + max);
            return Optional.empty();
        });
    }

    /**
     * A file path, resolved against {@code base} (as given when {@code base} is null). A path the file
     * system cannot take (a NUL character) is a problem, never an exception.
     */
    Optional<java.nio.file.Path> path(String key, boolean required, java.nio.file.Path base) {
        return string(key, required).flatMap(text -> {
            try {
                if (text.indexOf('\0') < 0) {
                    return Optional.of(base == null ? java.nio.file.Path.of(text) : base.resolve(text));
                }
            } catch (java.nio.file.InvalidPathException bad) {
                // reported below
            }
            problem(mapping.values().get(key), field(key) + " was " + mapping.values().get(key).kind() + " but must be a file path");
            return Optional.empty();
        });
    }

    /** A size in bytes: {@code 65536}, {@code 64KiB}, {@code 1MB} (see {@link ByteSizes}). */
    Optional<Long> bytes(String key, boolean required, long min, long max) {
        return node(key, required).flatMap(n -> {
            Optional<Long> v = n instanceof YamlNode.Scalar s ? ByteSizes.parse(s.text()) : Optional.empty();
            if (v.isPresent() && v.get() >= min && v.get() <= max) {
                return v;
            }
            problem(n, field(key) + " was " + n.kind() + " but must be a size " + min + "-" + max + " bytes, such as 65536, 64KiB or 1MB");
            return Optional.empty();
        });
    }

    Optional<Double> fraction(String key) {
        return number(key, 0, 1);
    }

    /** A decimal number from {@code min} to {@code max}; no NaN, no infinity, no hex. */
    Optional<Double> number(String key, double min, double max) {
        return node(key, false).flatMap(n -> number(n, field(key), min, max));
    }

    /** As {@link #number(String, double, double)}, for a node named {@code what}. */
    Optional<Double> number(YamlNode n, String what, double min, double max) {
        if (n instanceof YamlNode.Scalar s && s.text().trim().matches("[0-9]+(\\.[0-9]+)?([eE][0-9]{1,2})?")) {
            double v = Double.parseDouble(s.text().trim());
            if (v >= min && v <= max) {
                return Optional.of(v);
            }
        }
        problem(n, what + " was " + n.kind() + " but must be a number " + plain(min) + "-" + plain(max));
        return Optional.empty();
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    Optional<Boolean> bool(String key) {
        return node(key, false).flatMap(n -> {
            if (n instanceof YamlNode.Scalar s && (s.text().equals("true") || s.text().equals("false"))) {
                return Optional.of(Boolean.parseBoolean(s.text()));
            }
            problem(n, field(key) + " was " + n.kind() + " but must be true or false");
            return Optional.empty();
        });
    }

    Optional<Duration> duration(String key, boolean required, Duration min, Duration max) {
        return node(key, required).flatMap(n -> {
            Optional<Duration> d = n instanceof YamlNode.Scalar s ? Durations.parse(s.text()) : Optional.empty();
            if (d.isEmpty()) {
                problem(n, field(key) + " was " + n.kind() + " but must be a duration such as 500ms, 2s, 1m, 1h, 1d");
                return Optional.empty();
            }
            if (d.get().compareTo(min) < 0 || d.get().compareTo(max) > 0) {
                problem(n, field(key) + " was " + Durations.format(d.get()) + " but must be "
                        + Durations.format(min) + "-" + Durations.format(max));
                return Optional.empty();
            }
            return d;
        });
    }

    /** An IPv4 or IPv6 literal (never a host name: DNS answers hand out addresses). */
    /** An {@code http://} or {@code https://} URL with a host. */
    Optional<java.net.URI> url(String key, boolean required) {
        return string(key, required).flatMap(text -> {
            try {
                java.net.URI u = new java.net.URI(text.trim());
                if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                    return Optional.of(u);
                }
            } catch (java.net.URISyntaxException e) {
                // reported below
            }
            problem(position(key), field(key) + " was '" + text + "' but must be an http:// or https:// URL with a host");
            return Optional.empty();
        });
    }

    Optional<String> ipAddress(String key, boolean required) {
        return string(key, required).flatMap(text -> {
            if (IpLiteral.isLiteral(text)) {
                return Optional.of(text);
            }
            problem(mapping.values().get(key), field(key) + " was '" + text + "' but must be an IPv4 or IPv6 address");
            return Optional.empty();
        });
    }

    /** {@code host:port} where host is an IP literal (IPv6 in brackets). */
    Optional<HostPort> hostPort(String key, boolean required) {
        return string(key, required).flatMap(text -> {
            int colon = text.lastIndexOf(':');
            if (colon > 0) {
                String host = text.substring(0, colon);
                if (host.startsWith("[") && host.endsWith("]")) {
                    host = host.substring(1, host.length() - 1);
                }
                try {
                    String digits = text.substring(colon + 1);
                    int port = digits.matches("[0-9]{1,5}") ? Integer.parseInt(digits) : -1;
                    if (port >= 0 && port <= 65535 && IpLiteral.isLiteral(host)) {
                        return Optional.of(new HostPort(host, port));
                    }
                } catch (NumberFormatException ignored) {
                    // reported below
                }
            }
            problem(mapping.values().get(key), field(key) + " was '" + text + "' but must be ADDRESS:PORT with an IP address and a port 0-65535");
            return Optional.empty();
        });
    }

    /** Each item of a list, or nothing (with a problem) when the value is not a list. */
    List<YamlNode> list(String key, boolean required) {
        Optional<YamlNode> n = node(key, required);
        if (n.isEmpty()) {
            return List.of();
        }
        if (n.get() instanceof YamlNode.Sequence seq) {
            return seq.items();
        }
        problem(n.get(), field(key) + " was " + n.get().kind() + " but must be a list");
        return List.of();
    }

    Optional<MappingReader> mapping(String key, boolean required) {
        return node(key, required).flatMap(n -> of(file, n, field(key), problems));
    }

    /** Reads each list item as a mapping with path {@code key[i]}; returns how many items the list has. */
    int eachMapping(String key, boolean required, Consumer<MappingReader> reader) {
        List<YamlNode> items = list(key, required);
        for (int i = 0; i < items.size(); i++) {
            of(file, items.get(i), field(key) + "[" + i + "]", problems).ifPresent(reader);
        }
        return items.size();
    }

    /** A reader of a mapping nested in this one at {@code node}, named {@code path}; empty when it is not a mapping. */
    Optional<MappingReader> nested(YamlNode node, String path) {
        return node instanceof YamlNode.Mapping ? of(file, node, path, problems) : Optional.empty();
    }

    /** The keys of this mapping, in file order. */
    java.util.List<String> keys() {
        return java.util.List.copyOf(mapping.keys().keySet());
    }

    YamlNode position(String key) {
        YamlNode n = mapping.values().get(key);
        return n != null ? n : mapping;
    }

    YamlNode self() {
        return mapping;
    }
}
