package io.meridian.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;

/** {@code meridian db ...}: database primaries — who holds them, and moving them by hand. */
@Command(name = "db", mixinStandardHelpOptions = true, description = "Database clusters: roles and lag, failover, switchover, ack.",
        subcommands = {DatabaseCommands.Status.class, DatabaseCommands.Failover.class, DatabaseCommands.Switchover.class,
                DatabaseCommands.Ack.class})
final class DatabaseCommands {

    @Command(name = "status", description = "Every member's role, position, lag and health; where the write name points.")
    static final class Status extends Reads.Read {
        @Override
        String path() {
            return "/v1/databases";
        }

        @Override
        void table(JsonObject body, PrintWriter out) {
            for (Object o : body.getJsonArray("databases", new JsonArray())) {
                JsonObject c = (JsonObject) o;
                out.printf("%s (%s) write name %s -> %s%s%s%n", c.getString("name"), c.getString("kind"), c.getString("write_name"),
                        c.getString("write_to") == null || c.getString("write_to").isEmpty() ? "(withdrawn)" : c.getString("write_to"),
                        c.getString("cooldown_until") == null ? "" : ", cooling down until " + c.getString("cooldown_until"),
                        c.getJsonObject("running") == null ? "" : ", RUNNING " + c.getJsonObject("running").getString("kind")
                                + " to " + c.getJsonObject("running").getString("to"));
                out.printf("  %-40s %-8s %-8s %14s %12s %10s  %s%n", "MEMBER", "ROLE", "HEALTH", "POSITION", "LAG BYTES", "AGE MS", "ERROR");
                for (Object m : c.getJsonArray("members", new JsonArray())) {
                    JsonObject j = (JsonObject) m;
                    out.printf("  %-40s %-8s %-8s %14s %12s %10s  %s%n", j.getString("id"), j.getString("role", "?"), j.getString("health"),
                            j.getValue("position", ""), j.getValue("lag_bytes", ""), j.getValue("replay_age_ms") == null ? "" : j.getValue("replay_age_ms"),
                            j.getString("error", ""));
                }
            }
        }
    }

    @Command(name = "failover", description = "Promote a replica now: the best candidate, or --to. Beyond the RPO only with --force (admin).")
    static final class Failover extends ChangeCommand {
        @Parameters(paramLabel = "CLUSTER")
        String cluster;

        @Option(names = "--to", paramLabel = "MEMBER", description = "the member to promote (see meridian db status)")
        String to;

        @Override
        String path() {
            return "/v1/databases/" + cluster + "/failover";
        }

        @Override
        JsonObject fields() {
            return new JsonObject().put("to", to);
        }
    }

    @Command(name = "switchover", description = "Planned move of the primary to --to without data loss.")
    static final class Switchover extends ChangeCommand {
        @Parameters(paramLabel = "CLUSTER")
        String cluster;

        @Option(names = "--to", required = true, paramLabel = "MEMBER")
        String to;

        @Override
        String path() {
            return "/v1/databases/" + cluster + "/switchover";
        }

        @Override
        JsonObject fields() {
            return new JsonObject().put("to", to);
        }
    }

    @Command(name = "ack", description = "End the cooldown after an automatic database failover.")
    static final class Ack extends ChangeCommand {
        @Parameters(paramLabel = "CLUSTER")
        String cluster;

        @Override
        String path() {
            return "/v1/databases/" + cluster + "/ack";
        }

        @Override
        JsonObject fields() {
            return new JsonObject();
        }
    }
}
