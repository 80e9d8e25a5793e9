package io.meridian.cli;

import io.meridian.config.ConfigLoader;
import io.meridian.config.MeridianConfig;
import io.vertx.core.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code meridian run}: the daemon. Refuses to start on an invalid config (exit 2). */
@Command(name = "run", description = "Run the daemon: probe, decide, serve DNS and the API.")
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigDirOption configDir = new ConfigDirOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Optional<MeridianConfig> config = configDir.load(spec.commandLine().getErr());
        if (config.isEmpty()) {
            spec.commandLine().getErr().println("meridian run: refusing to start on an invalid configuration");
            return 2;
        }
        return DaemonLauncher.runUntilStopped(config.get(), () -> ConfigLoader.load(configDir.dir), vertx -> Future.succeededFuture(),
                router -> { }, d -> { });
    }
}
