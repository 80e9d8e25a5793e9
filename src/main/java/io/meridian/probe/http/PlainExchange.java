package io.meridian.probe.http;

import io.meridian.config.HealthCheckConfig;
import io.meridian.config.ProbeOptions;
import io.meridian.probe.FailureReason;
import io.meridian.probe.ProbeRun;
import io.meridian.probe.ProbeTarget;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;


/**
 * One plain-HTTP/1.1 probe on a fresh TCP connection, without an HTTP client: the request is a
 * few bytes written once, the answer is read by a {@link ResponseReader} only as far as the
 * verdict needs, then the connection is closed. Several times cheaper per probe than a pooled
 * HTTP client; {@link HttpProber} uses it for {@code http} checks without keep-alive, HTTP/2 or
 * redirects, and the full client for everything else.
 */
final class PlainExchange {

    private PlainExchange() {
    }

    static boolean applies(HealthCheckConfig check) {
        ProbeOptions o = check.options();
        return check.type() == io.meridian.config.CheckType.HTTP && !o.http2() && !o.followRedirects() && !o.keepAlive();
    }

    static Buffer request(ProbeTarget target) {
        HealthCheckConfig check = target.check();
        String host = check.host().orElse(target.address().contains(":") ? "[" + target.address() + "]" : target.address());
        StringBuilder b = new StringBuilder(128).append(check.options().method()).append(' ').append(check.path()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(host).append(target.port() == 80 ? "" : ":" + target.port()).append("\r\n")
                .append("User-Agent: meridian-probe\r\n");
        check.options().headers().forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
        String method = check.options().method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            b.append("Content-Length: 0\r\n");
        }
        return Buffer.buffer(b.append("Connection: close\r\n\r\n").toString(), "ISO-8859-1");
    }

    static void run(NetClient net, ProbeRun run, ProbeTarget target, Buffer request) {
        HealthCheckConfig check = target.check();
        net.connect(new ConnectOptions().setHost(target.address()).setPort(target.port())
                .setTimeout((int) check.timeout().toMillis())).onComplete(ar -> {
            if (ar.failed()) {
                run.fail(ar.cause());
                return;
            }
            NetSocket socket = ar.result();
            if (run.isDone()) {
                socket.close(); // the timeout won while connecting: never leak the descriptor
                return;
            }
            run.mark("connect");
            run.onTimeout(socket::close);
            boolean head = check.options().method().equals("HEAD");
            ResponseReader reader = new ResponseReader(BodyCheck.of(check).map(c -> check.options().maxBodyBytes()).orElse(0));
            boolean[] firstByte = {false};
            socket.handler(chunk -> {
                if (run.isDone()) {
                    return;
                }
                if (!firstByte[0]) {
                    firstByte[0] = true;
                    run.mark("first_byte");
                }
                ResponseReader.State state = reader.feed(((BufferInternal) chunk).getByteBuf());
                judge(run, reader, state, check, head);
                if (run.isDone()) {
                    socket.close();
                }
            });
            socket.closeHandler(v -> {
                if (!run.isDone()) {
                    ResponseReader.State state = reader.closed();
                    judge(run, reader, state, check, head);
                    if (!run.isDone()) {
                        run.fail(FailureReason.CLOSED, "the server closed the connection before a complete response"
                                + (reader.status() < 0 ? "" : " (status " + reader.status() + ", " + reader.bodyBytes() + " body bytes)"));
                    }
                }
            });
            socket.exceptionHandler(run::fail);
            socket.write(request);
        });
    }

    private static void judge(ProbeRun run, ResponseReader reader, ResponseReader.State state, HealthCheckConfig check, boolean head) {
        if (state == ResponseReader.State.MALFORMED) {
            run.fail(FailureReason.BAD_RESPONSE, reader.problem());
            return;
        }
        if (state == ResponseReader.State.HEAD) {
            return;
        }
        if (!check.expectStatus().contains(reader.status())) {
            run.fail(FailureReason.STATUS, "status " + reader.status());
            return;
        }
        var body = BodyCheck.of(check);
        if (body.isEmpty() || head) {
            run.succeed();
        } else if (body.get().matches(reader.body())) {
            run.succeed();
        } else if (reader.bodyFull()) {
            run.fail(FailureReason.TOO_LARGE, body.get().tooLarge(check.options().maxBodyBytes()));
        } else if (state == ResponseReader.State.DONE) {
            run.fail(FailureReason.BODY_MISMATCH, body.get().mismatch(reader.bodyBytes()));
        }
    }

}
