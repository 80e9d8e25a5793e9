package io.meridian.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code meridian bench engine | failover | probes | dns | soak | fuzz | cluster | dashboard}. */
@Command(name = "bench", description = "Benchmarks that measure this machine and print figures.",
        subcommands = {BenchCommand.EngineCommand.class, FailoverBench.class, ProbeBench.class, DnsBench.class, SoakBench.class, FuzzBench.class, ClusterBench.class,
                DashboardBench.class})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "engine", description = "Time one decision-engine tick on a large configuration.")
    static final class EngineCommand implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--services", description = "default: 1000")
        int services = 1000;

        @Option(names = "--regions", description = "regions per service, default: 5")
        int regions = 5;

        @Option(names = "--endpoints", description = "endpoints per region, default: 20")
        int endpoints = 20;

        @Option(names = "--vantages", description = "default: 5")
        int vantages = 5;

        @Option(names = "--ticks", description = "measured ticks, default: 30")
        int ticks = 30;

        @Option(names = "--churn", description = "percent of targets that flip up/down before each tick, default: 1")
        double churn = 1;

        @Override
        public Integer call() {
            EngineBench.run(services, regions, endpoints, vantages, ticks, churn, spec.commandLine().getOut());
            return 0;
        }
    }
}
