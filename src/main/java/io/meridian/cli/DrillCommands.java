package io.meridian.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code meridian drill ...}: disaster-recovery drills — list them and their reports, run one, abort it. */
@Command(name = "drill", mixinStandardHelpOptions = true, description = "Disaster-recovery drills: list, run, abort, report.",
        subcommands = {DrillCommands.List.class, DrillCommands.Run.class, DrillCommands.Abort.class, DrillCommands.Report.class})
final class DrillCommands {

    @Command(name = "list", description = "The configured drills, the one running, and the reports of past runs.")
    static final class List extends Reads.Read {
        @Override
        String path() {
            return "/v1/drills";
        }

        @Override
        void table(JsonObject body, PrintWriter out) {
            out.printf("%-24s %-10s %-8s %-8s %s%n", "DRILL", "EVACUATES", "HOLD", "RTO", "SERVICES / DATABASES");
            for (Object o : body.getJsonArray("drills", new JsonArray())) {
                JsonObject d = (JsonObject) o;
                out.printf("%-24s %-10s %-8s %-8s %s / %s%s%n", d.getString("name"), d.getString("evacuate"), d.getString("hold"),
                        d.getString("rto", "-"), d.getJsonArray("services").encode(), d.getJsonArray("databases").encode(),
                        d.getString("schedule") == null ? "" : ", scheduled '" + d.getString("schedule") + "' UTC, announced " + d.getString("announce")
                                + " before");
            }
            JsonObject running = body.getJsonObject("running");
            out.println(running == null ? "no drill running" : "RUNNING " + running.getString("id") + ": " + running.getString("phase"));
            JsonArray reports = body.getJsonArray("reports", new JsonArray());
            if (!reports.isEmpty()) {
                out.printf("%-40s %-10s %-10s %s%n", "REPORT", "OUTCOME", "RTO MS", "RTO MET");
                reports.forEach(o -> {
                    JsonObject r = (JsonObject) o;
                    out.printf("%-40s %-10s %-10s %s%n", r.getString("id"), r.getString("outcome"), r.getValue("rto_ms", "-"),
                            r.getValue("rto_met") == null ? "-" : r.getValue("rto_met"));
                });
            }
        }
    }

    @Command(name = "run", description = "Run drill NAME: readiness first (a dry run stops there), then evacuate, hold, restore and report.")
    static final class Run extends ChangeCommand {
        @Parameters(paramLabel = "NAME")
        String name;

        @picocli.CommandLine.Option(names = "--practice", description = "rehearse it in the simulator on --config-dir: no DNS or database "
                + "change, no daemon needed; prints the timeline it expects")
        boolean practice;

        @picocli.CommandLine.Mixin
        ConfigDirOption configDir = new ConfigDirOption();

        @Override
        public Integer call() throws Exception {
            if (!practice) {
                return super.call();
            }
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            java.util.Optional<io.meridian.config.MeridianConfig> config = configDir.load(err);
            if (config.isEmpty()) {
                return ExitCodes.USAGE;
            }
            java.util.Optional<io.meridian.config.DrillConfig> drill = config.get().drill(name);
            if (drill.isEmpty()) {
                err.println("drill '" + name + "' is not configured (known: " + String.join(", ",
                        config.get().drills().stream().map(io.meridian.config.DrillConfig::name).toList()) + ")");
                return ExitCodes.USAGE;
            }
            io.meridian.sim.DrillPractice.Result r = io.meridian.sim.DrillPractice.run(config.get(), drill.get());
            out.println("practice of drill " + name + " in the simulator (nothing is changed), from its drain on:");
            r.timeline().forEach(out::println);
            out.println("expected:");
            r.expected().forEach(e -> out.println("  " + e));
            out.flush();
            return 0;
        }

        @Override
        String path() {
            return "/v1/drills/" + name + "/run";
        }

        @Override
        JsonObject fields() {
            return new JsonObject();
        }

        @Override
        void show(JsonObject body, PrintWriter w, String verb) {
            boolean accepted = body.getBoolean("accepted", false);
            w.println((accepted ? (verb.equals("would") ? "dry run: " : "started: ") : "refused: ") + body.getString("message", ""));
            JsonObject preview = body.getJsonObject("preview", new JsonObject());
            preview.getJsonArray("drains", new JsonArray()).forEach(d -> {
                JsonObject drain = (JsonObject) d;
                ChangeCommand.print(drain.put("accepted", true), w, "would");
            });
            preview.getJsonArray("switchovers", new JsonArray()).forEach(s -> {
                JsonObject m = (JsonObject) s;
                w.println("  switchover " + m.getString("cluster") + ": " + m.getString("from") + " -> "
                        + (m.getString("to") == null ? "(no replica may take it: the drill would stop here)" : m.getString("to")));
            });
            if (accepted && !verb.equals("would")) {
                w.println("follow it with: meridian drill list; meridian history --kind DRILL; report: meridian drill report " + body.getString("id"));
            }
            w.flush();
        }
    }

    @Command(name = "abort", description = "Abort the running drill: the evacuated region and its databases are restored.")
    static final class Abort extends ChangeCommand {
        @Override
        String path() {
            return "/v1/drills/abort";
        }

        @Override
        JsonObject fields() {
            return new JsonObject();
        }

        @Override
        void show(JsonObject body, PrintWriter w, String verb) {
            w.println((body.getBoolean("accepted", false) ? verb.equals("would") ? "would abort: " : "aborting: " : "refused: ")
                    + body.getString("message", ""));
            w.flush();
        }
    }

    @Command(name = "report", description = "A drill report: steps with their times, RTO and RPO against the objectives, invariants.")
    static final class Report extends Reads.Read {
        @Parameters(paramLabel = "ID")
        String id;

        @Override
        String path() {
            return "/v1/drills/reports/" + id;
        }

        @Override
        void table(JsonObject body, PrintWriter out) {
            out.print(body.getString("markdown", ""));
        }
    }
}
