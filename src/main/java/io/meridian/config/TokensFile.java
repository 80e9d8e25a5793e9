package io.meridian.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the API tokens file named by {@code api.tokens}:
 * <pre>
 * tokens:
 *   - {name: alice, role: operator, sha256: 2c26b46b...}   # sha256 of the token, never the token
 * </pre>
 * Create an entry with {@code printf %s "$TOKEN" | sha256sum}.
 */
final class TokensFile {

    private static final Set<String> ROLES = Set.of("viewer", "operator", "admin");

    private TokensFile() {
    }

    /** @param rel the file as meridian.yaml names it, for messages */
    static List<TokenConfig> read(Path file, String rel, List<ConfigProblem> problems) {
        if (!Files.isRegularFile(file)) {
            problems.add(new ConfigProblem("meridian.yaml", 1, 1, "api.tokens names " + file + " but there is no such file"));
            return List.of();
        }
        List<TokenConfig> tokens = new ArrayList<>();
        new YamlReader(rel, problems).read(file).flatMap(root -> MappingReader.of(rel, root, "", problems)).ifPresent(r -> {
                r.allowOnly(Set.of("tokens"));
                Set<String> names = new HashSet<>();
                r.eachMapping("tokens", true, t -> {
                    t.allowOnly(Set.of("name", "role", "sha256"));
                    var n = t.string("name", true);
                    var role = t.string("role", true);
                    var hash = t.string("sha256", true);
                    role.filter(x -> !ROLES.contains(x)).ifPresent(x -> t.problem(t.position("role"),
                            t.field("role") + " was '" + x + "' but must be one of: viewer, operator, admin"));
                    hash.filter(x -> !x.matches("[0-9a-f]{64}")).ifPresent(x -> t.problem(t.position("sha256"),
                            t.field("sha256") + " must be 64 lower-case hex digits (printf %s TOKEN | sha256sum)"));
                    n.filter(x -> !names.add(x)).ifPresent(x -> t.problem(t.position("name"), t.field("name") + " '" + x + "' is used twice"));
                    if (n.isPresent() && role.filter(ROLES::contains).isPresent() && hash.filter(x -> x.matches("[0-9a-f]{64}")).isPresent()) {
                        tokens.add(new TokenConfig(n.get(), role.get(), hash.get()));
                    }
                });
            });
        return tokens;
    }
}
