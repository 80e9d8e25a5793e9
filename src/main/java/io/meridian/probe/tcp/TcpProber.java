package io.meridian.probe.tcp;

import io.meridian.clock.Clock;
import io.meridian.probe.ProbeResult;
import io.meridian.probe.ProbeRun;
import io.meridian.probe.ProbeTarget;
import io.meridian.probe.Prober;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;

/** TCP probes: success is a completed connect, which is closed at once. */
public final class TcpProber implements Prober {

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
        ProbeRun run = new ProbeRun(vertx, clock, target);
        ConnectOptions options = new ConnectOptions().setHost(target.address()).setPort(target.port())
                .setTimeout((int) target.check().timeout().toMillis());
        client.connect(options).onComplete(ar -> {
            if (ar.failed()) {
                run.fail(ar.cause());
                return;
            }
            NetSocket socket = ar.result();
            run.succeed();
            socket.close(); // also when the timeout already won: never leak the descriptor
        });
        return run.future();
    }
}
