package io.meridian.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code meridian run | demo | validate | simulate | status | plan | drain | undrain | failover |
 * failback | pause | resume | ack | history | bench}. Exit codes: 0 ok, 1 refused by a safety rule
 * (or the daemon failed to start), 2 usage or input, 3 API unreachable or not allowed.
 */
@Command(name = "meridian", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Global traffic and failover controller.",
        subcommands = {RunCommand.class, DemoCommand.class, ValidateCommand.class, SimulateCommand.class,
                Reads.Status.class, Reads.Plan.class, Changes.Drain.class, Changes.Undrain.class, Changes.Failover.class,
                Changes.Failback.class, Changes.Pause.class, Changes.Resume.class, Changes.Ack.class, Reads.History.class, ReloadCommand.class, DatabaseCommands.class, DrillCommands.class,
                io.meridian.bench.BenchCommand.class, picocli.AutoComplete.GenerateCompletion.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(e -> e instanceof CommandLine.ParameterException ? 2 : 1);
        return cl;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
