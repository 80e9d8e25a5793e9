package io.meridian.bench;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A backend for benchmarks, in its own process so that it can be killed or frozen (SIGSTOP):
 * {@code java -cp meridian.jar io.meridian.bench.BackendMain ADDRESS PORT [FLAKY_FRACTION]}.
 * Answers 200 "hello" (or the status set by {@code POST /control/status/CODE}); with a flaky
 * fraction, that share of requests gets 503 at random. Prints "listening" once it listens.
 */
public final class BackendMain {

    private BackendMain() {
    }

    public static void main(String[] args) {
        String address = args[0];
        int port = Integer.parseInt(args[1]);
        double flaky = args.length > 2 ? Double.parseDouble(args[2]) : 0;
        int[] status = {200};
        Vertx vertx = Vertx.vertx();
        vertx.createHttpServer(new HttpServerOptions().setHost(address).setPort(port).setReuseAddress(true))
                .requestHandler(req -> {
                    if (req.path().startsWith("/control/status/")) {
                        status[0] = Integer.parseInt(req.path().substring("/control/status/".length()));
                        req.response().end("status " + status[0] + "\n");
                        return;
                    }
                    int code = ThreadLocalRandom.current().nextDouble() < flaky ? 503 : status[0];
                    req.response().setStatusCode(code).end(code == 200 ? "hello\n" : "unavailable\n");
                })
                .listen()
                .onSuccess(s -> System.out.println("listening on " + address + ":" + port))
                .onFailure(err -> {
                    System.err.println("cannot listen on " + address + ":" + port + ": " + err.getMessage());
                    System.exit(1);
                });
    }
}
