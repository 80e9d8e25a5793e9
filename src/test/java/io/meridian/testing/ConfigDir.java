package io.meridian.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a configuration directory for tests: a small valid base (two regions, one HTTP check,
 * one failover service) that a test overrides file by file.
 */
public final class ConfigDir {

    private final Map<String, String> files = new LinkedHashMap<>();

    private ConfigDir() {
        files.put("meridian.yaml", """
                vantage: us-east
                api:
                  listen: 127.0.0.1:0
                  tokens: tokens.yaml
                dns:
                  zone: example.test
                  listen: 127.0.0.1:0
                services:
                  - name: app.example.test
                    policy: failover
                    ttl: 5s
                    regions: [us-east, eu-west]
                health:
                  min-hold: 0s
                automation:
                  failback: 0s
                  cooldown: 0s
                """);
        files.put("tokens.yaml", TestTokens.FILE);
        files.put("regions/us-east.yaml", """
                name: us-east
                priority: 1
                endpoints:
                  - address: 127.0.1.1
                    port: 8081
                    check: web
                """);
        files.put("regions/eu-west.yaml", """
                name: eu-west
                priority: 2
                endpoints:
                  - address: 127.0.2.1
                    port: 8081
                    check: web
                """);
        files.put("healthchecks/web.yaml", """
                type: http
                path: /healthz
                interval: 1s
                timeout: 500ms
                """);
    }

    public static ConfigDir base() {
        return new ConfigDir();
    }

    public ConfigDir with(String file, String content) {
        files.put(file, content);
        return this;
    }

    public ConfigDir without(String file) {
        files.remove(file);
        return this;
    }

    /** Writes it to {@code dir} and loads it: every problem found, as {@code file:line:col: message} (none: it is valid). */
    public java.util.List<String> problems(Path dir) {
        try {
            io.meridian.config.ConfigLoader.load(writeTo(dir));
            return java.util.List.of();
        } catch (io.meridian.config.InvalidConfigException e) {
            return e.problems().stream().map(Object::toString).toList();
        }
    }

    public Path writeTo(Path dir) {
        try {
            for (var e : files.entrySet()) {
                Path p = dir.resolve(e.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, e.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
