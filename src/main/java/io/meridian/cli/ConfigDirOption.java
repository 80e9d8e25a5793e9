package io.meridian.cli;

import io.meridian.config.ConfigLoader;
import io.meridian.config.ConfigProblem;
import io.meridian.config.InvalidConfigException;
import io.meridian.config.MeridianConfig;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** {@code --config-dir DIR} (default: the current directory) and loading with problems printed one per line. */
final class ConfigDirOption {

    @Option(names = "--config-dir", paramLabel = "DIR", description = "directory with meridian.yaml, regions/ and healthchecks/ (default: .)")
    Path dir = Path.of(".");

    /** The config, or empty after printing every problem to {@code err}. */
    Optional<MeridianConfig> load(PrintWriter err) {
        try {
            return Optional.of(ConfigLoader.load(dir));
        } catch (InvalidConfigException e) {
            for (ConfigProblem p : e.problems()) {
                err.println(p);
            }
            err.println(e.problems().size() + " problem(s) in " + dir.toAbsolutePath().normalize());
            err.flush();
            return Optional.empty();
        }
    }
}
