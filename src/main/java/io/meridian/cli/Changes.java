package io.meridian.cli;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The change commands: each posts to one API route through {@link ChangeCommand}. */
final class Changes {

    private Changes() {
    }

    @Command(name = "drain", description = "Take a region out of service (it stays probed).")
    static final class Drain extends ChangeCommand {
        @Parameters(paramLabel = "REGION")
        String region;

        @Option(names = "--service", description = "only for this service (default: every service)")
        String service;

        @Option(names = "--expires", paramLabel = "DURATION", description = "undo it by itself after this long, e.g. 2h")
        String expires;

        @Override
        String path() {
            return "/v1/regions/" + region + "/drain";
        }

        @Override
        JsonObject fields() {
            return new JsonObject().put("service", service).put("expires_in", expires);
        }
    }

    @Command(name = "undrain", description = "Put a drained region back in service.")
    static final class Undrain extends ChangeCommand {
        @Parameters(paramLabel = "REGION")
        String region;

        @Option(names = "--service", description = "only for this service (default: the drain of every service)")
        String service;

        @Override
        String path() {
            return "/v1/regions/" + region + "/undrain";
        }

        @Override
        JsonObject fields() {
            return new JsonObject().put("service", service);
        }
    }

    @Command(name = "failover", description = "Serve a service from one region, by hand, now.")
    static final class Failover extends ChangeCommand {
        @Parameters(paramLabel = "SERVICE")
        String service;

        @Option(names = "--to", required = true, paramLabel = "REGION")
        String to;

        @Option(names = "--expires", paramLabel = "DURATION", description = "return to automation after this long")
        String expires;

        @Override
        String path() {
            return "/v1/failover";
        }

        @Override
        JsonObject fields() {
            return new JsonObject().put("service", service).put("to", to).put("expires_in", expires);
        }
    }

    @Command(name = "failback", description = "End a manual failover and return a service to its preferred region now.")
    static final class Failback extends ChangeCommand {
        @Parameters(paramLabel = "SERVICE")
        String service;

        @Override
        String path() {
            return "/v1/failback";
        }

        @Override
        JsonObject fields() {
            return new JsonObject().put("service", service);
        }
    }

    @Command(name = "pause", description = "Stop applying automatic plans (they are still computed and shown).")
    static final class Pause extends ChangeCommand {
        @Option(names = "--service", description = "only this service (default: all)")
        String service;

        @Option(names = "--expires", paramLabel = "DURATION", description = "resume by itself after this long")
        String expires;

        @Override
        String path() {
            return "/v1/pause";
        }

        @Override
        JsonObject fields() {
            return new JsonObject().put("service", service).put("expires_in", expires);
        }
    }

    @Command(name = "resume", description = "Apply automatic plans again.")
    static final class Resume extends ChangeCommand {
        @Option(names = "--service", description = "only this service (default: the pause of all)")
        String service;

        @Override
        String path() {
            return "/v1/resume";
        }

        @Override
        JsonObject fields() {
            return new JsonObject().put("service", service);
        }
    }

    @Command(name = "ack", description = "End the cooldown after an automatic failover early.")
    static final class Ack extends ChangeCommand {
        @Parameters(paramLabel = "SERVICE")
        String service;

        @Override
        String path() {
            return "/v1/ack";
        }

        @Override
        JsonObject fields() {
            return new JsonObject().put("service", service);
        }
    }
}
