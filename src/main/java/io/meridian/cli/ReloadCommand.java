package io.meridian.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * {@code meridian reload}: the daemon loads its configuration directory again (admin token). Prints what
 * changed, or every problem as {@code validate} does; exit 0 taken, 2 invalid, 1 refused (needs a restart).
 */
@Command(name = "reload", description = "Make the daemon load its configuration again: prints the changes taken, or every problem (nothing changes).")
final class ReloadCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client = new ClientOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            ApiClient.Response r = client.client().post("/v1/reload", new JsonObject());
            JsonObject b = r.body();
            if (client.output == ClientOptions.Format.json) {
                out.println(b.encodePrettily());
            } else if (!b.containsKey("outcome")) {
                err.println("error: " + r.errorMessage());
            } else if (b.getBoolean("applied", false)) {
                JsonArray changes = b.getJsonArray("changes");
                out.println(changes.isEmpty() ? "reloaded: the configuration is unchanged" : "reloaded: " + changes.size() + " change(s)");
                changes.forEach(c -> out.println("  " + c));
            } else {
                b.getJsonArray("problems").forEach(err::println);
                err.println(("invalid".equals(b.getString("outcome")) ? b.getJsonArray("problems").size() + " problem(s)" : "refused")
                        + ": nothing changed, the running configuration stays");
            }
            out.flush();
            err.flush();
            return ExitCodes.of(r.status());
        } catch (ApiClient.Unreachable e) {
            err.println(e.getMessage());
            err.flush();
            return ExitCodes.UNREACHABLE;
        }
    }
}
