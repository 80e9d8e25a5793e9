package io.meridian.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** The read commands: status, plan, history. Tables for people, {@code -o json} for scripts. */
final class Reads {

    private Reads() {
    }

    /** Fetches one API path and prints it. */
    abstract static class Read implements Callable<Integer> {
        @Mixin
        ClientOptions client = new ClientOptions();

        @Spec
        CommandSpec spec;

        abstract String path();

        abstract void table(JsonObject body, PrintWriter out);

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                ApiClient.Response r = client.client().get(path());
                if (r.status() != 200) {
                    err.println("error: " + r.errorMessage());
                } else if (client.output == ClientOptions.Format.json) {
                    out.println(r.body().encodePrettily());
                } else {
                    table(r.body(), out);
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

    @Command(name = "status", description = "Services and what they answer, regions and their endpoints, standing overrides.")
    static final class Status extends Read {
        @Override
        String path() {
            return "/v1/status";
        }

        @Override
        void table(JsonObject b, PrintWriter out) {
            out.printf("%-28s %-9s %-30s %s%n", "SERVICE", "POLICY", "ANSWERS", "WHY");
            b.getJsonObject("services").forEach(e -> {
                JsonObject s = (JsonObject) e.getValue();
                StringBuilder answers = new StringBuilder();
                s.getJsonArray("answers").forEach(a -> answers.append(answers.isEmpty() ? "" : " ").append(((JsonObject) a).getString("region")));
                String flags = (s.getBoolean("paused") ? " [paused]" : "") + (s.getBoolean("fail_open") ? " [FAIL-OPEN]" : "")
                        + (s.getString("pinned_to") != null ? " [pinned to " + s.getString("pinned_to") + "]" : "");
                out.printf("%-28s %-9s %-30s %s%n", e.getKey(), s.getString("policy"), answers + flags, s.getString("reason"));
            });
            out.println();
            JsonArray overrides = b.getJsonArray("overrides", new JsonArray());
            java.util.Set<String> drained = new java.util.TreeSet<>();
            overrides.forEach(o -> {
                JsonObject x = (JsonObject) o;
                if ("DRAIN".equals(x.getString("kind"))) {
                    drained.add(x.getString("region"));
                }
            });
            out.printf("%-12s %-5s %s%n", "REGION", "UP", "WHY");
            b.getJsonObject("regions").forEach(e -> {
                JsonObject r = (JsonObject) e.getValue();
                out.printf("%-12s %-5s %s%s%n", e.getKey(), r.getBoolean("up") ? "yes" : "NO", r.getString("reason"),
                        drained.contains(e.getKey()) ? " [drained]" : "");
            });
            if (!overrides.isEmpty()) {
                out.println();
                out.println("OVERRIDES");
                overrides.forEach(o -> out.println("  " + ((JsonObject) o).getString("description")));
            }
            coordination(b.getJsonObject("coordination"), out);
        }

        /** Who leads under which term, whether the store answers, and how fresh each vantage's reports are here. */
        private static void coordination(JsonObject c, PrintWriter out) {
            if (c == null || !"etcd".equals(c.getString("type"))) {
                return;
            }
            out.println();
            JsonObject term = c.getJsonObject("term");
            out.printf("COORDINATION etcd: leader %s%s, this daemon %s %s; store %s%n", c.getString("leader", "(none)"),
                    term == null ? "" : " (term " + term.getLong("epoch") + ", token " + term.getLong("token") + ")", c.getString("self"),
                    c.getBoolean("acting") ? "acts" : "follows", c.getString("store"));
            out.printf("%-12s %-6s %s%n", "VANTAGE", "VOTES", "LAST REPORT");
            c.getJsonObject("vantages", new JsonObject()).forEach(e -> {
                JsonObject v = (JsonObject) e.getValue();
                Long ago = v.getLong("last_report_ms_ago");
                out.printf("%-12s %-6s %s%n", e.getKey(), v.getBoolean("votes") ? "yes" : "NO", v.getBoolean("self") ? "(this daemon)"
                        : ago == null ? "never (or its lease expired)" : ago + " ms ago" + (v.getBoolean("set_aside") ? ", set aside" : ""));
            });
        }
    }

    @Command(name = "plan", description = "What automation would do now, and why.")
    static final class Plan extends Read {
        @Override
        String path() {
            return "/v1/plan";
        }

        @Override
        void table(JsonObject b, PrintWriter out) {
            b.getJsonObject("services").forEach(e -> {
                JsonObject s = (JsonObject) e.getValue();
                out.println(e.getKey() + ": " + s.getString("desired") + " because " + s.getString("reason"));
            });
            JsonObject plan = b.getJsonObject("plan");
            JsonArray actions = plan.getJsonArray("actions");
            out.println(actions.isEmpty() ? "nothing to change" : "to apply:");
            actions.forEach(a -> out.println("  " + ((JsonObject) a).getString("reason")));
            ChangeCommand.printNotApplied(plan, out);
        }
    }

    @Command(name = "history", description = "The journal: decisions, changes and who made them, newest first.")
    static final class History extends Read {
        @Option(names = "--limit", description = "default: 20")
        int limit = 20;

        @Option(names = "--service")
        String service;

        @Option(names = "--region")
        String region;

        @Option(names = "--kind", description = "e.g. OPERATOR, FAILOVER, TARGET_STATE")
        String kind;

        @Override
        String path() {
            return "/v1/events?limit=" + limit + (service == null ? "" : "&service=" + service)
                    + (region == null ? "" : "&region=" + region) + (kind == null ? "" : "&kind=" + kind);
        }

        @Override
        void table(JsonObject b, PrintWriter out) {
            b.getJsonArray("events").forEach(x -> {
                JsonObject e = (JsonObject) x;
                out.printf("%-24s %-12s %-10s %s%n", e.getString("time"), e.getString("kind"), e.getString("actor", ""),
                        e.containsKey("action") ? e.getString("action") + " " + e.getString("subject") + ": " + e.getString("outcome")
                                + " - " + e.getString("message") + " (" + e.getString("reason") + ")" : e.getString("message"));
            });
        }
    }
}
