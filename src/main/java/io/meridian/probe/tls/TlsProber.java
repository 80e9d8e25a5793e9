package io.meridian.probe.tls;

import io.meridian.clock.Clock;
import io.meridian.config.ProbeOptions;
import io.meridian.probe.FailureReason;
import io.meridian.probe.ProbeResult;
import io.meridian.probe.ProbeRun;
import io.meridian.probe.ProbeTarget;
import io.meridian.probe.Prober;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemTrustOptions;

import javax.net.ssl.SSLPeerUnverifiedException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

/**
 * Completes a TLS handshake (certificate and host name verified unless {@code insecure}) and
 * judges the certificate's remaining life: {@code tls_expiring} under {@code fail-before}, a
 * success with a note under {@code warn-before}. Handshake failures are {@code tls_handshake},
 * expired certificates {@code tls_expired}.
 */
public final class TlsProber implements Prober {

    private final Vertx vertx;
    private final Clock clock;
    private final NetClient client;

    public TlsProber(Vertx vertx, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
        this.client = vertx.createNetClient();
    }

    @Override
    public Future<ProbeResult> probe(ProbeTarget target) {
        ProbeRun run = new ProbeRun(vertx, clock, target).connecting();
        ProbeOptions o = target.check().options();
        String sni = target.check().host().orElse(target.address());
        ClientSSLOptions ssl = new ClientSSLOptions().setHostnameVerificationAlgorithm(target.check().insecure() ? "" : "HTTPS");
        if (target.check().insecure()) {
            ssl.setTrustAll(true);
        } else {
            o.caFile().ifPresent(ca -> ssl.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
        }
        // Plain connect, then the handshake: the two phases are timed apart.
        ConnectOptions connect = new ConnectOptions().setHost(target.address()).setPort(target.port())
                .setTimeout((int) target.check().timeout().toMillis());
        client.connect(connect).onComplete(ar -> {
            if (ar.failed()) {
                run.fail(ar.cause());
                return;
            }
            NetSocket socket = ar.result();
            run.mark("connect");
            run.onTimeout(socket::close);
            socket.upgradeToSsl(ssl, sni).onComplete(hs -> {
                try {
                    if (hs.failed()) {
                        run.fail(hs.cause());
                        return;
                    }
                    run.mark("tls");
                    judge(run, socket.peerCertificates(), o);
                } catch (SSLPeerUnverifiedException e) {
                    run.fail(FailureReason.TLS_HANDSHAKE, "no peer certificate: " + e.getMessage());
                } finally {
                    socket.close(); // also when the timeout already won: never leak the descriptor
                }
            });
        });
        return run.future();
    }

    private void judge(ProbeRun run, List<Certificate> chain, ProbeOptions o) {
        if (chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
            run.fail(FailureReason.TLS_HANDSHAKE, "no X.509 certificate");
            return;
        }
        Duration left = Duration.between(clock.wallTime(), leaf.getNotAfter().toInstant());
        String expires = "certificate for " + leaf.getSubjectX500Principal().getName() + " expires " + leaf.getNotAfter().toInstant()
                + " (in " + left.toDays() + " days)";
        if (left.isNegative()) {
            run.fail(FailureReason.TLS_EXPIRED, expires);
        } else if (left.compareTo(o.failBefore()) < 0) {
            run.fail(FailureReason.TLS_EXPIRING, expires + ", sooner than fail-before " + o.failBefore().toDays() + "d");
        } else if (left.compareTo(o.warnBefore()) < 0) {
            run.succeed("WARNING: " + expires + ", sooner than warn-before " + o.warnBefore().toDays() + "d");
        } else {
            run.succeed(expires);
        }
    }
}
