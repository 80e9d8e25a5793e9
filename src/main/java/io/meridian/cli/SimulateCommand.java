package io.meridian.cli;

import io.meridian.config.MeridianConfig;
import io.meridian.sim.Scenario;
import io.meridian.sim.ScenarioLoader;
import io.meridian.sim.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code meridian simulate SCENARIO.yaml}: replays a scenario through the real decision engine. Exit 1 when an expectation fails. */
@Command(name = "simulate", description = "Replay a scenario through the decision engine on a manual clock and print the decision timeline.")
final class SimulateCommand implements Callable<Integer> {

    @Mixin
    ConfigDirOption configDir = new ConfigDirOption();

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SCENARIO.yaml", description = "the timeline to replay")
    Path scenarioFile;

    @Option(names = "--seed", description = "seed for probe stagger (default: 1)")
    long seed = 1;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Optional<MeridianConfig> config = configDir.load(err);
        if (config.isEmpty()) {
            return 2;
        }
        Scenario scenario;
        try {
            scenario = ScenarioLoader.load(scenarioFile);
        } catch (Exception e) {
            err.println("meridian simulate: " + e.getMessage());
            return 2;
        }
        Simulator.Result result;
        try {
            result = Simulator.run(config.get(), scenario, seed);
        } catch (IllegalArgumentException e) {
            err.println("meridian simulate: " + scenarioFile + ": " + e.getMessage());
            return 2;
        }
        if (!scenario.description().isBlank()) {
            out.println("# " + scenario.description().strip().replace("\n", "\n# "));
        }
        result.timeline().forEach(out::println);
        result.failures().forEach(f -> err.println("expectation failed " + f));
        out.flush();
        return result.failures().isEmpty() ? 0 : 1;
    }
}
