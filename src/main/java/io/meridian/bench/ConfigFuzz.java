package io.meridian.bench;

import io.meridian.clock.Clock;
import io.meridian.config.ConfigLoader;
import io.meridian.config.ConfigProblem;
import io.meridian.config.InvalidConfigException;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A seeded mutation fuzzer of the configuration loader: a full configuration (every section, every
 * check type, database members) has one file mutated per case — lines deleted, doubled, swapped or
 * re-indented, YAML punctuation, NULs, control and non-ASCII characters, huge numbers, long values
 * and a second document inserted, values replaced — and is loaded. Each case must end with a valid
 * configuration or with problems that each read {@code file:line:col: message} (short, no Java
 * exception names), never with another exception, and within two seconds.
 */
public final class ConfigFuzz {

    /** What a run did; {@code failures} is empty when every case kept the rules. */
    public record Report(long seed, long cases, long valid, long refused, List<String> failures) {
    }

    private static final Pattern PROBLEM = Pattern.compile("[^:\\n]+:\\d+:\\d+: [^\\n]+");
    private static final Duration SLOW = Duration.ofSeconds(2);
    private static final String[] TOKENS = {":", ": ", "- ", "[", "]", "{", "}", ",", "\"", "'", "\t", "\u0000", "&a ", "*a", "!!binary ",
            "\u202e", "\uff18\uff10", "99999999999999999999", "-1", "0", "1e309", "null", "~", "\n---\n", "? ", "|", ">", "#", "%",
            "\\u0000", "x::1", "999.1.1.1", "0x10", "1h1m", "-5s", "\r", "\u00e9", "\ud83d\ude00", "\n  - ", "\n    "};

    private final Random random;
    private final Map<String, String> base = base();
    private final List<String> failures = new ArrayList<>();

    private ConfigFuzz(long seed) {
        this.random = new Random(seed);
    }

    /** Fuzzes for {@code budget} or {@code maxCases} cases, whichever ends first. */
    public static Report run(long seed, Duration budget, long maxCases) throws Exception {
        return new ConfigFuzz(seed).go(seed, budget, maxCases);
    }

    private Report go(long seed, Duration budget, long maxCases) throws Exception {
        Clock clock = Clock.system();
        long deadline = clock.monotonicNanos() + budget.toNanos();
        Path dir = Files.createTempDirectory("meridian-config-fuzz");
        long cases = 0;
        long valid = 0;
        long refused = 0;
        List<String> names = new ArrayList<>(base.keySet());
        try {
            for (var e : base.entrySet()) {
                Files.createDirectories(dir.resolve(e.getKey()).getParent());
                write(dir, e.getKey(), e.getValue());
            }
            while (cases < maxCases && clock.monotonicNanos() < deadline && failures.size() < 10) {
                cases++;
                String victim = names.get(random.nextInt(names.size()));
                String mutated = mutate(base.get(victim));
                write(dir, victim, mutated);
                long start = clock.monotonicNanos();
                try {
                    ConfigLoader.load(dir);
                    valid++;
                } catch (InvalidConfigException e) {
                    refused++;
                    for (ConfigProblem p : e.problems()) {
                        String line = p.toString();
                        if (!PROBLEM.matcher(line).matches() || line.length() > 600 || line.contains("Exception") || line.contains("java.")) {
                            fail(cases, victim, mutated, "a problem not of the form file:line:col: message: " + cut(line));
                        }
                    }
                } catch (Throwable t) {
                    fail(cases, victim, mutated, "an exception: " + t);
                }
                long ms = (clock.monotonicNanos() - start) / 1_000_000;
                if (ms > SLOW.toMillis()) {
                    fail(cases, victim, mutated, "loading took " + ms + " ms");
                }
                write(dir, victim, base.get(victim));
            }
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return new Report(seed, cases, valid, refused, List.copyOf(failures));
    }

    /** One file of the directory; the others keep the base text (each case puts its victim back). */
    private static void write(Path dir, String name, String text) throws Exception {
        Files.write(dir.resolve(name), text.getBytes(StandardCharsets.UTF_8));
    }

    private String mutate(String text) {
        List<String> lines = new ArrayList<>(text.lines().toList());
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds && !lines.isEmpty(); r++) {
            int i = random.nextInt(lines.size());
            switch (random.nextInt(8)) {
                case 0 -> lines.remove(i);
                case 1 -> lines.add(i, lines.get(i));
                case 2 -> java.util.Collections.swap(lines, i, random.nextInt(lines.size()));
                case 3 -> lines.set(i, (random.nextBoolean() ? "  " : "") + lines.get(i).substring(Math.min(lines.get(i).length(),
                        random.nextInt(3))));
                case 4 -> {
                    String l = lines.get(i);
                    int at = random.nextInt(l.length() + 1);
                    lines.set(i, l.substring(0, at) + TOKENS[random.nextInt(TOKENS.length)] + l.substring(at));
                }
                case 5 -> {
                    String l = lines.get(i);
                    int colon = l.indexOf(": ");
                    if (colon > 0) {
                        lines.set(i, l.substring(0, colon + 2) + value());
                    }
                }
                case 6 -> lines.set(i, lines.get(i) + " " + "x".repeat(random.nextInt(20_000)));
                default -> lines.add(i, TOKENS[random.nextInt(TOKENS.length)]);
            }
        }
        return String.join("\n", lines) + (random.nextInt(10) == 0 ? "" : "\n");
    }

    private String value() {
        return switch (random.nextInt(6)) {
            case 0 -> String.valueOf(random.nextLong());
            case 1 -> TOKENS[random.nextInt(TOKENS.length)];
            case 2 -> "\"" + "y".repeat(random.nextInt(5000)) + "\"";
            case 3 -> "[" + TOKENS[random.nextInt(TOKENS.length)] + "]";
            case 4 -> "{a: 1}";
            default -> "";
        };
    }

    private void fail(long n, String file, String text, String why) {
        if (failures.size() < 10) {
            failures.add("case " + n + " (" + file + "): " + why + "; file was: " + cut(text.replace("\n", "\\n")));
        }
    }

    private static String cut(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "... (" + s.length() + " characters)";
    }

    /** A configuration that uses every section: the fuzzer's starting point. */
    private static Map<String, String> base() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("meridian.yaml", """
                vantage: us-east
                api:
                  listen: 127.0.0.1:8080
                  state-dir: state
                  public-health: true
                  limits: {max-connections: 64, idle-timeout: 10s, request-timeout: 5s}
                dns:
                  zone: fuzz.test
                  listen: 127.0.0.1:5353
                  nameservers: [{name: ns1.fuzz.test, addresses: [192.0.2.53]}, ns.elsewhere.test]
                  rate-limit: 1000
                  tcp: {max-connections: 128, max-connections-per-source: 8, idle-timeout: 5s, message-timeout: 1s}
                  soa: {mname: ns1.fuzz.test, rname: hostmaster.fuzz.test, minimum: 30s}
                services:
                  - name: app.fuzz.test
                    policy: failover
                    ttl: 30s
                    regions: [us-east, eu-west]
                  - {name: www.fuzz.test, policy: weighted, ttl: 10s, regions: [us-east, eu-west], min-regions-in-service: 1}
                  - {name: near.fuzz.test, policy: latency, regions: [us-east, eu-west], latency-tolerance: 20ms}
                health:
                  vantages: [us-east, eu-west]
                  quorum: majority
                  staleness: 30s
                  min-hold: 3s
                automation: {max-failovers: 3, failover-window: 1h, cooldown: 5m, failback: 5m, max-weight-step: 25, tick: 1s}
                clients:
                  - {cidr: 10.1.0.0/16, region: us-east}
                  - {cidr: "2001:db8::/32", region: eu-west}
                databases:
                  - name: orders
                    kind: postgres
                    write-name: db.fuzz.test
                    ttl: 1s
                    rpo-bytes: 1MiB
                    rpo-lag: 5s
                    automatic: true
                    candidates: [us-east, eu-west]
                    cross-region: true
                    interval: 1s
                    timeout: 1s
                """);
        files.put("regions/us-east.yaml", """
                name: us-east
                priority: 1
                weight: 60
                endpoints:
                  - {address: 127.0.1.1, port: 8081, check: web}
                  - {address: "::1", port: 8443, check: secure}
                  - {address: 127.0.1.3, port: 53, check: dns}
                databases:
                  - {cluster: orders, host: 127.0.1.10, port: 5432, user: meridian}
                """);
        files.put("regions/eu-west.yaml", """
                name: eu-west
                priority: 2
                weight: 40
                endpoints:
                  - {address: 127.0.2.1, port: 8081, check: web}
                  - {address: 127.0.2.2, port: 7000, check: raw}
                  - {address: 127.0.2.3, port: 443, check: cert}
                databases:
                  - {cluster: orders, host: 127.0.2.10, port: 5432, user: meridian}
                """);
        files.put("healthchecks/web.yaml", "type: http\npath: /healthz\nexpect-status: [200, \"300-399\"]\nbody-contains: ok\n"
                + "interval: 1s\ntimeout: 500ms\nrise: 2\nfall: 2\n");
        files.put("healthchecks/secure.yaml", "type: https\npath: /\ninsecure: true\ninterval: 2s\ntimeout: 1s\n");
        files.put("healthchecks/dns.yaml", "type: dns\nquery: app.fuzz.test\ninterval: 1s\ntimeout: 500ms\n");
        files.put("healthchecks/raw.yaml", "type: tcp\ninterval: 1s\ntimeout: 500ms\n");
        files.put("healthchecks/cert.yaml", "type: tls\nwarn-before: 14d\nfail-before: 2d\ninterval: 10s\ntimeout: 2s\n");
        return files;
    }
}
