package io.meridian.probe.tcp;

import io.meridian.clock.Clock;
import io.meridian.config.ProbeOptions;
import io.meridian.probe.FailureReason;
import io.meridian.probe.ProbeResult;
import io.meridian.probe.ProbeRun;
import io.meridian.probe.ProbeTarget;
import io.meridian.probe.Prober;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

import java.nio.charset.StandardCharsets;

/**
 * TCP probes: success is a completed connect; with {@code send} the text is written, and with
 * {@code expect} the reply (at most 64 KiB) must match the regex ({@code reply_mismatch} if the
 * peer closes first). The socket is always closed.
 */
public final class TcpProber implements Prober {

    static final int MAX_REPLY = 64 * 1024;

    private final Vertx vertx;
    private final Clock clock;
    private final NetClient client;

    public TcpProber(Vertx vertx, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
        this.client = vertx.createNetClient(new NetClientOptions());
    }

    @Override
    public Future<ProbeResult> probe(ProbeTarget target) {
        ProbeRun run = new ProbeRun(vertx, clock, target).connecting();
        ProbeOptions o = target.check().options();
        ConnectOptions options = new ConnectOptions().setHost(target.address()).setPort(target.port())
                .setTimeout((int) target.check().timeout().toMillis());
        client.connect(options).onComplete(ar -> {
            if (ar.failed()) {
                run.fail(ar.cause());
                return;
            }
            NetSocket socket = ar.result();
            run.mark("connect");
            if (o.expect().isEmpty()) {
                o.send().ifPresent(s -> socket.write(s));
                run.succeed();
                socket.close(); // also when the timeout already won: never leak the descriptor
                return;
            }
            run.onTimeout(socket::close);
            Buffer reply = Buffer.buffer();
            socket.handler(chunk -> {
                if (run.isDone()) {
                    return;
                }
                if (reply.length() == 0) {
                    run.mark("first_byte");
                }
                reply.appendBuffer(chunk.length() <= MAX_REPLY - reply.length() ? chunk : chunk.getBuffer(0, MAX_REPLY - reply.length()));
                if (o.expect().get().matcher(reply.toString(StandardCharsets.UTF_8)).find()) {
                    run.succeed();
                    socket.close();
                } else if (reply.length() >= MAX_REPLY) {
                    run.fail(FailureReason.REPLY_MISMATCH, "no match for /" + o.expect().get().pattern() + "/ in the first " + MAX_REPLY + " bytes");
                    socket.close();
                }
            });
            socket.closeHandler(v -> run.fail(FailureReason.REPLY_MISMATCH, "closed after " + reply.length()
                    + " bytes without a match for /" + o.expect().get().pattern() + "/"));
            socket.exceptionHandler(run::fail);
            o.send().ifPresent(s -> socket.write(s));
        });
        return run.future();
    }
}
