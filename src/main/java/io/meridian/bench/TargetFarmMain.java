package io.meridian.bench;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;

/**
 * Probe targets for {@code bench probes}, in their own process so that their CPU is not counted
 * as the prober's: {@code java -cp meridian.jar io.meridian.bench.TargetFarmMain ADDRESS BASE_PORT PORTS}.
 * Every port serves {@code /ok} (200), {@code /slow} (200 after 200 ms), {@code /fail} (503),
 * {@code /hang} (never answers), {@code /dribble} (a byte every 500 ms, never done) and {@code /huge}
 * (100 MB); port BASE_PORT-1 answers raw garbage. Prints "listening" once every port listens.
 * <p>
 * The targets speak just enough HTTP/1.1 over raw TCP (canned answers, then close), because on a
 * two-core machine a full HTTP server answering 10,000 new connections a second would take the
 * CPU the prober is being measured on; real targets live on other machines.
 */
public final class TargetFarmMain {

    private static final Buffer OK = canned("200 OK", "ok");
    private static final Buffer SLOW = canned("200 OK", "ok slow");
    private static final Buffer FAIL = canned("503 Service Unavailable", "unavailable");
    private static final Buffer NOT_FOUND = canned("404 Not Found", "");
    private static final Buffer MB = Buffer.buffer(new byte[1024 * 1024]);

    private TargetFarmMain() {
    }

    private static Buffer canned(String status, String body) {
        return Buffer.buffer("HTTP/1.1 " + status + "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body,
                "ISO-8859-1");
    }

    public static void main(String[] args) {
        String address = args[0];
        int base = Integer.parseInt(args[1]);
        int ports = Integer.parseInt(args[2]);
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setPreferNativeTransport(true));
        int[] listening = {0};
        vertx.createNetServer().connectHandler(s -> s.handler(b -> s.write("garbage, not http\r\n\r\n").onComplete(v -> s.close())))
                .listen(base - 1, address);
        for (int p = 0; p < ports; p++) {
            vertx.createNetServer(new NetServerOptions().setHost(address).setPort(base + p).setReuseAddress(true).setAcceptBacklog(4096))
                    .connectHandler(socket -> serve(vertx, socket))
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

    /** Reads the request line (the rest of the request is ignored), answers by path. */
    private static void serve(Vertx vertx, NetSocket socket) {
        Buffer head = Buffer.buffer();
        boolean[] answered = {false};
        socket.handler(chunk -> {
            if (answered[0]) {
                return;
            }
            head.appendBuffer(chunk);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int eol = text.indexOf("\r\n");
            if (eol < 0 || !text.contains("\r\n\r\n")) {
                return;
            }
            answered[0] = true;
            String[] line = text.substring(0, eol).split(" ");
            switch (line.length > 1 ? line[1] : "") {
                case "/ok", "/" -> socket.end(OK);
                case "/fail" -> socket.end(FAIL);
                case "/slow" -> vertx.setTimer(200, id -> socket.end(SLOW));
                case "/hang" -> { }
                case "/dribble" -> {
                    socket.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
                    long timer = vertx.setPeriodic(500, id -> socket.write("1\r\nx\r\n"));
                    socket.closeHandler(v -> vertx.cancelTimer(timer));
                }
                case "/huge" -> huge(socket, 100);
                default -> socket.end(NOT_FOUND);
            }
        });
        socket.exceptionHandler(err -> socket.close());
    }

    /** {@code megabytes} MB of zeros, written as fast as the client reads them. */
    private static void huge(NetSocket socket, int megabytes) {
        socket.write("HTTP/1.1 200 OK\r\nContent-Length: " + (long) megabytes * MB.length() + "\r\n\r\n");
        int[] left = {megabytes};
        Runnable[] pump = new Runnable[1];
        pump[0] = () -> {
            while (left[0] > 0 && !socket.writeQueueFull()) {
                left[0]--;
                socket.write(MB);
            }
            if (left[0] == 0) {
                socket.end();
            } else {
                socket.drainHandler(v -> pump[0].run());
            }
        };
        pump[0].run();
    }
}
