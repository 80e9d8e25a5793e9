package io.meridian.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Loads a configuration directory: {@code meridian.yaml}, {@code regions/*.yaml} and
 * {@code healthchecks/*.yaml}. Every problem in every file is collected before giving up.
 *
 * <pre>{@code
 * MeridianConfig config = ConfigLoader.load(Path.of("."));   // throws InvalidConfigException
 * }</pre>
 */
public final class ConfigLoader {

    static final String DAEMON_FILE = "meridian.yaml";
    static final String REGIONS_DIR = "regions";
    static final String CHECKS_DIR = "healthchecks";

    private final Path dir;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private ConfigLoader(Path dir) {
        this.dir = dir;
    }

    public static MeridianConfig load(Path dir) throws InvalidConfigException {
        return new ConfigLoader(dir).load();
    }

    private MeridianConfig load() throws InvalidConfigException {
        Set<String> checkNames = new TreeSet<>();
        Map<String, HealthCheckConfig> checks = readAll(CHECKS_DIR, HealthCheckParser::parse,
                HealthCheckConfig::name, "health check", checkNames);
        Map<String, String> endpointOwners = new HashMap<>();
        List<DatabaseParser.Placed> members = new ArrayList<>();
        Set<String> regionNames = new TreeSet<>();
        Map<String, RegionConfig> regions = readAll(REGIONS_DIR,
                (r, stem) -> RegionParser.parse(r, stem, checkNames, endpointOwners, dir.toAbsolutePath().normalize(), members),
                RegionConfig::name, "region", regionNames);
        Optional<DaemonFileParser.Parsed> daemon = readFile(dir.resolve(DAEMON_FILE), DAEMON_FILE)
                .map(r -> DaemonFileParser.parse(r, regionNames, dir.toAbsolutePath().normalize(), problems));
        daemon.ifPresent(d -> checkDatabases(d.databases(), d.databaseAt(), d.databaseNames(), members));
        if (!problems.isEmpty() || daemon.isEmpty()) {
            Collections.sort(problems);
            throw new InvalidConfigException(problems);
        }
        DaemonFileParser.Parsed d = daemon.get();
        return new MeridianConfig(d.vantage().orElseThrow(), d.api(), d.dns().orElseThrow(), d.services(),
                List.copyOf(regions.values()), List.copyOf(checks.values()), d.health(), d.automation(), d.clients(), d.databases(),
                d.coordination(), d.logging(), d.drills());
    }

    /** Every member names a defined cluster; every cluster has members, and a candidate region holds one. */
    private void checkDatabases(List<DatabaseClusterConfig> clusters, Map<String, MappingReader> at, Set<String> names,
                                List<DatabaseParser.Placed> members) {
        Map<String, DatabaseClusterConfig> byName = new HashMap<>();
        clusters.forEach(c -> byName.put(c.name(), c));
        Set<String> seen = new java.util.HashSet<>();
        for (DatabaseParser.Placed p : members) {
            if (!names.contains(p.member().cluster())) {
                p.at().problem(p.at().position("cluster"), p.at().field("cluster") + " was '" + p.member().cluster()
                        + "' but no database cluster has that name in meridian.yaml (known: " + String.join(", ", names) + ")");
            }
            if (!seen.add(p.member().host() + ":" + p.member().port())) {
                p.at().problem(p.at().self(), p.at().field("host") + " " + p.member().host() + ":" + p.member().port() + " is declared twice");
            }
        }
        for (DatabaseClusterConfig c : clusters) {
            Set<String> withMembers = new TreeSet<>();
            members.stream().filter(p -> p.member().cluster().equals(c.name())).forEach(p -> withMembers.add(p.member().region()));
            MappingReader r = at.get(c.name());
            if (withMembers.isEmpty()) {
                r.problem(r.position("name"), r.field("name") + " '" + c.name() + "' has no members: declare them under databases: in the region files");
            }
            for (String candidate : c.candidates()) {
                if (!withMembers.isEmpty() && !withMembers.contains(candidate)) {
                    r.problem(r.position("candidates"), r.field("candidates") + " names '" + candidate + "' but that region has no member of "
                            + c.name() + " (members in: " + String.join(", ", withMembers) + ")");
                }
            }
        }
    }

    /**
     * Reads every YAML file of a sub-directory.
     *
     * @param defined receives the name of every file's item, valid or not
     */
    private <T> Map<String, T> readAll(String sub, BiFunction<MappingReader, String, Optional<T>> parser,
                                       Function<T, String> nameOf, String what, Set<String> defined) {
        Path folder = dir.resolve(sub);
        Map<String, T> byName = new LinkedHashMap<>();
        Map<String, String> fileOf = new HashMap<>();
        List<Path> files = yamlFiles(folder);
        if (files.isEmpty()) {
            problems.add(new ConfigProblem(sub + "/", 1, 1, "no *.yaml file found in " + folder + " (need at least one " + what + ")"));
        }
        for (Path file : files) {
            String rel = sub + "/" + file.getFileName();
            String stem = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            Optional<MappingReader> reader = readFile(file, rel);
            // Known even when invalid, so that references to it do not cascade into more problems.
            defined.add(reader.flatMap(r -> r.peek("name")).orElse(stem));
            reader.flatMap(r -> parser.apply(r, stem).map(v -> {
                String name = nameOf.apply(v);
                String first = fileOf.putIfAbsent(name, rel);
                if (first != null) {
                    r.problem(r.position("name"), what + " name '" + name + "' is already defined in " + first);
                } else {
                    byName.put(name, v);
                }
                return v;
            }));
        }
        return byName;
    }

    private List<Path> yamlFiles(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(folder)) {
            return s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            problems.add(new ConfigProblem(folder.toString(), 1, 1, "cannot list directory: " + e.getMessage()));
            return List.of();
        }
    }

    private Optional<MappingReader> readFile(Path file, String rel) {
        if (!Files.isRegularFile(file)) {
            problems.add(new ConfigProblem(rel, 1, 1, "file not found (looked for " + file.toAbsolutePath().normalize() + ")"));
            return Optional.empty();
        }
        return new YamlReader(rel, problems).read(file).flatMap(root -> MappingReader.of(rel, root, "", problems));
    }
}
