package io.meridian.replication;

import io.meridian.config.DatabaseMember;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the operator's fencing command (STONITH: power off, cut from the network) for an old primary,
 * with {@code {host}}, {@code {port}}, {@code {region}} and {@code {member}} replaced in its arguments.
 * Exit 0 within the timeout means fenced; anything else fails, with the command's last output.
 */
public final class FenceHook {

    private final Vertx vertx;

    public FenceHook(Vertx vertx) {
        this.vertx = vertx;
    }

    public Future<String> run(List<String> command, DatabaseMember m, Duration timeout) {
        List<String> args = command.stream().map(a -> a.replace("{host}", m.host()).replace("{port}", String.valueOf(m.port()))
                .replace("{region}", m.region()).replace("{member}", m.id())).toList();
        return command(vertx, "fence command", args, timeout);
    }

    /**
     * Runs {@code args} off the event loop: exit 0 within {@code timeout} succeeds with its first output,
     * anything else fails saying so ({@code what} names it: "fence command", "scale command").
     */
    public static Future<String> command(Vertx vertx, String what, List<String> args, Duration timeout) {
        return vertx.executeBlocking(() -> {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.destroyForcibly();
                throw new IllegalStateException(what + " " + args + " did not finish within " + timeout.toMillis() + " ms");
            }
            String out = new String(p.getInputStream().readNBytes(4096)).strip();
            if (p.exitValue() != 0) {
                throw new IllegalStateException(what + " " + args + " exited " + p.exitValue() + (out.isEmpty() ? "" : ": " + out));
            }
            return what + " " + args + " succeeded" + (out.isEmpty() ? "" : ": " + out);
        }, false);
    }
}
