package io.meridian.bench;

import io.meridian.config.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code meridian bench fuzz}: the fuzzers of the test suite, for longer and with any seed. */
@Command(name = "fuzz", description = "Fuzz the DNS packet handling and the configuration loader; print cases, outcomes and failures.")
public final class FuzzBench implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--target", description = "dns, config or both (default)")
    String target = "both";

    @Option(names = "--duration", description = "per target, default: 5m")
    String duration = "5m";

    @Option(names = "--seed", description = "default: the time")
    Long seed;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Duration budget = Durations.parse(duration).orElseThrow(() -> new IllegalArgumentException("--duration " + duration + " is not a duration"));
        long s = seed != null ? seed : io.meridian.clock.Clock.system().wallTime().toEpochMilli();
        List<String> failures = new java.util.ArrayList<>();
        if (!target.equals("config")) {
            DnsFuzz.Report r = DnsFuzz.run(s, budget, Long.MAX_VALUE);
            out.printf("dns fuzz, seed %d: %d cases, %d replies, %d dropped, %d failures%n", s, r.cases(), r.replies(), r.silent(), r.failures().size());
            failures.addAll(r.failures());
        }
        if (!target.equals("dns")) {
            ConfigFuzz.Report r = ConfigFuzz.run(s, budget, Long.MAX_VALUE);
            out.printf("config fuzz, seed %d: %d cases, %d valid, %d refused with problems, %d failures%n", s, r.cases(), r.valid(), r.refused(),
                    r.failures().size());
            failures.addAll(r.failures());
        }
        failures.forEach(f -> out.println("  FAILED " + f));
        return failures.isEmpty() ? 0 : 1;
    }
}
