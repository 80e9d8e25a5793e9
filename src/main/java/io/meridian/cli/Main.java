package io.meridian.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code meridian run | demo | validate}. Exit codes: 0 ok, 2 invalid input (config or usage),
 * 1 failed to start.
 */
@Command(name = "meridian", mixinStandardHelpOptions = true, version = "meridian 0.1.0",
        description = "Global traffic and failover controller.",
        subcommands = {RunCommand.class, DemoCommand.class, ValidateCommand.class, SimulateCommand.class,
                io.meridian.bench.BenchCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(e -> 1);
        return cl;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
