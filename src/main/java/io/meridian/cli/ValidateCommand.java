package io.meridian.cli;

import io.meridian.config.MeridianConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code meridian validate}: exit 0 when the config is valid, 2 with every problem listed when not. */
@Command(name = "validate", description = "Check the configuration and list every problem as file:line:col: message.")
final class ValidateCommand implements Callable<Integer> {

    @Mixin
    ConfigDirOption configDir = new ConfigDirOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Optional<MeridianConfig> config = configDir.load(spec.commandLine().getErr());
        if (config.isEmpty()) {
            return 2;
        }
        MeridianConfig c = config.get();
        int endpoints = c.regions().stream().mapToInt(r -> r.endpoints().size()).sum();
        spec.commandLine().getOut().printf("ok: %d service(s), %d region(s), %d endpoint(s), %d health check(s)%n",
                c.services().size(), c.regions().size(), endpoints, c.checks().size());
        return 0;
    }
}
