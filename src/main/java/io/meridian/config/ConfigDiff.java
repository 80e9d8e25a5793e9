package io.meridian.config;

import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What a reload would change, as an operator reads it ({@code + endpoint eu-west/10.0.2.3:443},
 * {@code ~ check http-health: interval 1s -> 2s}, {@code - service old.example.test}), and what it
 * cannot change while the daemon runs ({@code needsRestart}: then nothing is applied).
 *
 * <p>Taken while running: regions, their endpoints, health checks, services, health settings but the
 * vantages, automation, client rules, API tokens and logging. Everything else is bound to a socket, a
 * session or a file opened at start.
 */
public record ConfigDiff(List<String> changes, List<String> needsRestart) {

    public ConfigDiff {
        changes = List.copyOf(changes);
        needsRestart = List.copyOf(needsRestart);
    }

    public boolean empty() {
        return changes.isEmpty() && needsRestart.isEmpty();
    }

    public static ConfigDiff between(MeridianConfig was, MeridianConfig now) {
        List<String> changes = new ArrayList<>();
        List<String> restart = new ArrayList<>();
        fixed("vantage", was.vantage(), now.vantage(), restart);
        fixed("coordination", was.coordination(), now.coordination(), restart);
        fixed("dns", was.dns(), now.dns(), restart);
        fixed("databases", was.databases(), now.databases(), restart);
        fixed("health.vantages", was.health().vantages(), now.health().vantages(), restart);
        ApiConfig a = was.api();
        ApiConfig b = now.api();
        fixed("api", a.withTokens(List.of()), b.withTokens(List.of()), restart);
        Map<String, RegionConfig> regionsWas = byName(was.regions(), RegionConfig::name);
        for (RegionConfig r : now.regions()) {
            RegionConfig old = regionsWas.get(r.name());
            if (old != null) {
                fixed("region " + r.name() + " databases", old.databases(), r.databases(), restart);
            } else if (!r.databases().isEmpty()) {
                restart.add("+ region " + r.name() + " has database members: needs a restart");
            }
        }
        regionsWas.values().stream().filter(r -> now.region(r.name()).isEmpty() && !r.databases().isEmpty())
                .forEach(r -> restart.add("- region " + r.name() + " has database members: needs a restart"));

        named("check", was.checks(), now.checks(), HealthCheckConfig::name, Set.of(), changes);
        named("region", was.regions(), now.regions(), RegionConfig::name, Set.of("endpoints", "databases"), changes);
        for (RegionConfig r : now.regions()) {
            List<EndpointConfig> before = Optional.ofNullable(regionsWas.get(r.name())).map(RegionConfig::endpoints).orElse(List.of());
            named("endpoint", before, r.endpoints(), e -> e.id(r.name()), Set.of(), changes);
        }
        regionsWas.values().stream().filter(r -> now.region(r.name()).isEmpty())
                .forEach(r -> r.endpoints().forEach(e -> changes.add("- endpoint " + e.id(r.name()))));
        named("service", was.services(), now.services(), ServiceConfig::name, Set.of(), changes);
        fields("health", was.health(), now.health(), Set.of("vantages"), changes);
        fields("automation", was.automation(), now.automation(), Set.of(), changes);
        fields("logging", was.logging(), now.logging(), Set.of(), changes);
        named("client rule", was.clients(), now.clients(), c -> c.cidr() + " -> " + c.region(), Set.of("network", "prefix"), changes);
        named("api token", a.tokens(), b.tokens(), TokenConfig::name, Set.of(), changes);
        return new ConfigDiff(changes, restart);
    }

    private static void fixed(String what, Object was, Object now, List<String> restart) {
        List<String> diffs = new ArrayList<>();
        if (was instanceof Record && now instanceof Record && !printsItself(was)) {
            fieldDiffs(was, now, Set.of(), "", diffs);
        } else if (!same(was, now)) {
            diffs.add(norm(was, false) + " -> " + norm(now, false));
        }
        diffs.forEach(d -> restart.add("~ " + what + ": " + d + " needs a restart"));
    }

    private static <T> Map<String, T> byName(Collection<T> items, Function<T, String> name) {
        Map<String, T> out = new LinkedHashMap<>();
        items.forEach(i -> out.put(name.apply(i), i));
        return out;
    }

    /** Items matched by name: {@code +} for a new one, {@code -} for a gone one, {@code ~} with its changed fields. */
    private static <T> void named(String kind, List<T> was, List<T> now, Function<T, String> name, Set<String> skip, List<String> out) {
        Map<String, T> before = byName(was, name);
        Map<String, T> after = byName(now, name);
        after.forEach((n, item) -> {
            T old = before.get(n);
            if (old == null) {
                out.add("+ " + kind + " " + n);
            } else {
                fields(kind + " " + n, old, item, skip, out);
            }
        });
        before.keySet().stream().filter(n -> !after.containsKey(n)).forEach(n -> out.add("- " + kind + " " + n));
    }

    private static void fields(String what, Object was, Object now, Set<String> skip, List<String> out) {
        List<String> diffs = new ArrayList<>();
        fieldDiffs(was, now, skip, "", diffs);
        if (!diffs.isEmpty()) {
            out.add("~ " + what + ": " + String.join(", ", diffs));
        }
    }

    /** Record components that differ, named as in the YAML ({@code latency-threshold}), nested records flattened. */
    private static void fieldDiffs(Object was, Object now, Set<String> skip, String prefix, List<String> out) {
        for (RecordComponent c : was.getClass().getRecordComponents()) {
            if (skip.contains(c.getName())) {
                continue;
            }
            Object x = value(c, was);
            Object y = value(c, now);
            String field = prefix + kebab(c.getName());
            if (x instanceof Record && y instanceof Record && x.getClass() == y.getClass() && !printsItself(x)) {
                fieldDiffs(x, y, Set.of(), field + ".", out);
            } else if (!same(x, y)) {
                out.add(sensitive(c) ? field + " changed" : field + " " + norm(x, false) + " -> " + norm(y, false));
            }
        }
    }

    private static Object value(RecordComponent c, Object o) {
        try {
            return c.getAccessor().invoke(o);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName() + " of " + o.getClass().getSimpleName(), e);
        }
    }

    private static boolean same(Object x, Object y) {
        return norm(x, true).equals(norm(y, true));
    }

    /**
     * A comparable, printable form: durations as written, patterns by their text; a secret by its value
     * only when {@code reveal} (to compare, never to print).
     */
    static String norm(Object v, boolean reveal) {
        if (v == null) {
            return "none";
        }
        if (v instanceof Optional<?> o) {
            return o.map(x -> norm(x, reveal)).orElse("none");
        }
        if (v instanceof Duration d) {
            return Durations.format(d);
        }
        if (v instanceof Pattern p) {
            return p.pattern();
        }
        if (v instanceof Secret s) {
            return reveal ? s.source() + "\0" + s.value() : "(hidden)";
        }
        if (v instanceof byte[] bytes) {
            return java.util.HexFormat.of().formatHex(bytes);
        }
        if (v instanceof Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
        if (v instanceof Collection<?> c) {
            return c.stream().map(x -> norm(x, reveal)).toList().toString();
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, String> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), norm(x, reveal)));
            return out.toString();
        }
        if (v instanceof Record && (reveal || !printsItself(v))) {
            List<String> parts = new ArrayList<>();
            for (RecordComponent c : v.getClass().getRecordComponents()) {
                parts.add(kebab(c.getName()) + "=" + (sensitive(c) && !reveal ? "(hidden)" : norm(value(c, v), reveal)));
            }
            return "{" + String.join(", ", parts) + "}";
        }
        return String.valueOf(v);
    }

    /** Printed whole, by their own {@code toString}: {@code host:port}, and a key that hides its secret. */
    private static boolean printsItself(Object record) {
        return record instanceof HostPort || record instanceof TsigKeyFile.TsigKey;
    }

    /** Never printed: a password, a TSIG secret, a token's hash. */
    private static boolean sensitive(RecordComponent c) {
        return c.getType() == Secret.class || SENSITIVE.contains(c.getName());
    }

    private static final Set<String> SENSITIVE = Set.of("secret", "password", "sha256");

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
