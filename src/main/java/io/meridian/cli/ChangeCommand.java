package io.meridian.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/**
 * The flow of every change command: ask the API for a dry run and show the plan; unless
 * {@code --dry-run}, confirm (or {@code --yes}), then apply and show what was applied.
 */
abstract class ChangeCommand implements Callable<Integer> {

    @Mixin
    ClientOptions client = new ClientOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why, for the audit trail (required)")
    String reason;

    @Option(names = "--dry-run", description = "show the exact plan, change nothing")
    boolean dryRun;

    @Option(names = {"-y", "--yes"}, description = "do not ask for confirmation")
    boolean yes;

    @Option(names = "--force", description = "go past safety rules and cooldowns (admin token; recorded as forced)")
    boolean force;

    /** The API path to post to. */
    abstract String path();

    /** The fields of the change besides reason, dry_run and force. */
    abstract JsonObject fields();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ApiClient api = client.client();
        try {
            ApiClient.Response preview = api.post(path(), body(true));
            if (dryRun || preview.status() != 200) {
                return report(preview, out, err);
            }
            if (!yes) {
                show(preview.body(), out, "would");
                out.print("Apply? [y/N] ");
                out.flush();
                String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (answer == null || !answer.trim().equalsIgnoreCase("y") && !answer.trim().equalsIgnoreCase("yes")) {
                    err.println("not applied" + (answer == null ? ": no answer on standard input (use --yes)" : ""));
                    return ExitCodes.USAGE;
                }
            }
            return report(api.post(path(), body(false)), out, err);
        } catch (ApiClient.Unreachable e) {
            err.println(e.getMessage());
            return ExitCodes.UNREACHABLE;
        } catch (IOException e) {
            err.println("cannot read the confirmation: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }

    private JsonObject body(boolean dry) {
        return fields().put("reason", reason).put("dry_run", dry).put("force", force);
    }

    private int report(ApiClient.Response r, PrintWriter out, PrintWriter err) {
        if (client.output == ClientOptions.Format.json) {
            out.println(r.body().encodePrettily());
        } else if (r.body().containsKey("accepted")) {
            show(r.body(), r.body().getBoolean("accepted") ? out : err, r.body().getBoolean("dry_run", false) ? "would" : "applied");
        } else {
            err.println("error: " + r.errorMessage());
        }
        out.flush();
        err.flush();
        return ExitCodes.of(r.status());
    }

    /** Prints an answer for people; a command whose answers are not plans says how. */
    void show(JsonObject body, PrintWriter w, String verb) {
        print(body, w, verb);
    }

    static void print(JsonObject body, PrintWriter w, String verb) {
        boolean accepted = body.getBoolean("accepted", false);
        w.println((accepted ? (verb.equals("would") ? "dry run: " : "done: ") : "refused: ") + body.getString("message", ""));
        printReadiness(body.getJsonArray("readiness", new JsonArray()), w);
        body.getJsonArray("scale_requests", new JsonArray()).forEach(a -> w.println("  scale-up " + (verb.equals("would") ? "it would ask" : "asked")
                + ": " + ((JsonObject) a).getString("region") + " to " + Math.round(Math.ceil(((JsonObject) a).getDouble("capacity")))
                + " (has " + Math.round(((JsonObject) a).getDouble("has")) + ", for " + ((JsonObject) a).getString("services") + ")"));
        JsonObject change = body.getJsonObject("change");
        if (change != null) {
            w.println("  " + change.getString("kind") + " " + change.getString("from", "(none)") + " -> " + change.getString("to")
                    + (change.getBoolean("forced", false) ? " (FORCED)" : "") + ", steps " + change.getJsonArray("steps").encode());
            w.flush();
            return;
        }
        JsonObject plan = body.getJsonObject("plan", new JsonObject());
        JsonArray actions = plan.getJsonArray("actions", new JsonArray());
        if (accepted) {
            w.println(actions.isEmpty() ? "  no DNS change" : verb.equals("would") ? "  DNS changes it would make:" : "  DNS changes made:");
        }
        actions.forEach(a -> {
            JsonObject o = (JsonObject) a;
            w.println("  " + o.getString("kind") + " " + o.getString("service") + " -> " + o.getString("answers"));
            if (o.getString("load") != null) {
                w.println("    " + o.getString("load"));
            }
        });
        printNotApplied(plan, w);
        w.flush();
    }

    /**
     * One line per service and region that would get more traffic: "ready" with what was measured (endpoints,
     * capacity), or "NOT READY" with each failed check and why.
     */
    static void printReadiness(JsonArray checks, PrintWriter w) {
        if (checks.isEmpty()) {
            return;
        }
        w.println("  readiness of the regions that would get more traffic:");
        java.util.Map<String, java.util.List<JsonObject>> byTarget = new java.util.LinkedHashMap<>();
        checks.forEach(c -> byTarget.computeIfAbsent(((JsonObject) c).getString("service") + " -> " + ((JsonObject) c).getString("region"),
                k -> new java.util.ArrayList<>()).add((JsonObject) c));
        byTarget.forEach((target, list) -> {
            java.util.List<JsonObject> failed = list.stream().filter(c -> !c.getBoolean("ok")).toList();
            java.util.List<JsonObject> shown = failed.isEmpty()
                    ? list.stream().filter(c -> c.getString("check").equals("endpoints") || c.getString("check").equals("capacity")).toList() : failed;
            w.println("    " + (failed.isEmpty() ? "ready     " : "NOT READY ") + target + ": " + String.join("; ",
                    shown.stream().map(c -> c.getString("check") + " " + c.getString("detail")).toList()));
        });
    }

    /** The changes of a plan that were not applied: paused by an operator, or held by a safety rule. */
    static void printNotApplied(JsonObject plan, PrintWriter w) {
        plan.getJsonArray("paused", new JsonArray()).forEach(a -> w.println("  paused, not applied: " + ((JsonObject) a).getString("reason")));
        plan.getJsonArray("held", new JsonArray()).forEach(h -> w.println("  held: " + h));
    }
}
