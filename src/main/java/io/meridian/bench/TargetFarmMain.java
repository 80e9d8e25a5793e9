package io.meridian.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;

/**
 * Probe targets for {@code bench probes}, in their own process so that their CPU is not counted
 * as the prober's: {@code java -cp meridian.jar io.meridian.bench.TargetFarmMain ADDRESS BASE_PORT PORTS}.
 * Every port serves {@code /ok} (200), {@code /slow} (200 after 200 ms), {@code /fail} (503),
 * {@code /hang} (never answers), {@code /dribble} (a byte every 500 ms, never done) and {@code /huge}
 * (100 MB); port BASE_PORT-1 answers raw garbage. Prints "listening" once every port listens.
 */
public final class TargetFarmMain {

    private TargetFarmMain() {
    }

    public static void main(String[] args) {
        String address = args[0];
        int base = Integer.parseInt(args[1]);
        int ports = Integer.parseInt(args[2]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Buffer mb = Buffer.buffer(new byte[1024 * 1024]);
        int[] listening = {0};
        vertx.createNetServer().connectHandler(s -> s.handler(b -> s.write("garbage, not http\r\n\r\n").onComplete(v -> s.close())))
                .listen(base - 1, address);
        for (int p = 0; p < ports; p++) {
            vertx.createHttpServer(new HttpServerOptions().setHost(address).setPort(base + p).setReuseAddress(true).setAcceptBacklog(4096))
                    .requestHandler(req -> {
                        HttpServerResponse r = req.response();
                        switch (req.path()) {
                            case "/slow" -> vertx.setTimer(200, id -> {
                                if (!r.closed()) {
                                    r.end("ok slow");
                                }
                            });
                            case "/fail" -> r.setStatusCode(503).end("unavailable");
                            case "/hang" -> { }
                            case "/dribble" -> {
                                r.setChunked(true);
                                vertx.setPeriodic(500, id -> {
                                    if (r.closed()) {
                                        vertx.cancelTimer(id);
                                    } else {
                                        r.write("x");
                                    }
                                });
                            }
                            case "/huge" -> {
                                r.setChunked(true);
                                int[] left = {100};
                                Runnable[] pump = new Runnable[1];
                                pump[0] = () -> {
                                    while (left[0] > 0 && !r.closed() && !r.writeQueueFull()) {
                                        left[0]--;
                                        r.write(mb);
                                    }
                                    if (left[0] == 0 && !r.closed()) {
                                        r.end();
                                    } else if (!r.closed()) {
                                        r.drainHandler(v -> pump[0].run());
                                    }
                                };
                                pump[0].run();
                            }
                            default -> r.end("ok");
                        }
                    })
                    .listen()
                    .onSuccess(s -> {
                        if (++listening[0] == ports) {
                            System.out.println("listening on " + address + ":" + base + "-" + (base + ports - 1));
                        }
                    })
                    .onFailure(err -> {
                        System.err.println("cannot listen: " + err.getMessage());
                        System.exit(1);
                    });
        }
    }
}
