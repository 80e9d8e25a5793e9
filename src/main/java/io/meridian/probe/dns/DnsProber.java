package io.meridian.probe.dns;

import io.meridian.clock.Clock;
import io.meridian.config.ProbeOptions;
import io.meridian.probe.FailureReason;
import io.meridian.probe.ProbeResult;
import io.meridian.probe.ProbeRun;
import io.meridian.probe.ProbeTarget;
import io.meridian.probe.Prober;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import io.vertx.core.dns.DnsException;
import io.vertx.core.dns.MxRecord;
import io.vertx.core.dns.SrvRecord;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Asks the endpoint (a DNS server) for the check's name and type over UDP; succeeds when the
 * response code is the expected one and, if asked, an answer holds the expected value. Failures:
 * {@code dns_rcode} (with the code), {@code dns_answer}, {@code timeout}.
 */
public final class DnsProber implements Prober {

    private final Vertx vertx;
    private final Clock clock;
    private final Map<String, DnsClient> clients = new HashMap<>();

    public DnsProber(Vertx vertx, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
    }

    @Override
    public Future<ProbeResult> probe(ProbeTarget target) {
        ProbeRun run = new ProbeRun(vertx, clock, target);
        ProbeOptions o = target.check().options();
        DnsClient client = clients.computeIfAbsent(target.address() + ":" + target.port() + "/" + target.check().timeout().toMillis(),
                k -> vertx.createDnsClient(new DnsClientOptions().setHost(target.address()).setPort(target.port())
                        .setQueryTimeout(target.check().timeout().toMillis()).setRecursionDesired(false)));
        query(client, o.queryType(), o.query()).onComplete(ar -> {
            if (ar.succeeded()) {
                if (!o.expectRcode().equals("NOERROR")) {
                    run.fail(FailureReason.DNS_RCODE, "rcode NOERROR for " + o.query() + " " + o.queryType() + " (expected " + o.expectRcode() + ")");
                } else if (o.answerContains().isPresent() && ar.result().stream().noneMatch(a -> a.contains(o.answerContains().get()))) {
                    run.fail(FailureReason.DNS_ANSWER, o.query() + " " + o.queryType() + " answered " + ar.result()
                            + ", none contains '" + o.answerContains().get() + "'");
                } else {
                    run.succeed();
                }
            } else if (ar.cause() instanceof DnsException e) {
                String code = e.code().name();
                if (code.equals(o.expectRcode())) {
                    run.succeed();
                } else {
                    run.fail(FailureReason.DNS_RCODE, "rcode " + code + " for " + o.query() + " " + o.queryType()
                            + " (expected " + o.expectRcode() + ")");
                }
            } else if (String.valueOf(ar.cause().getMessage()).toLowerCase().contains("timeout")) {
                run.fail(FailureReason.TIMEOUT, "no DNS answer within " + target.check().timeout().toMillis() + " ms");
            } else {
                run.fail(ar.cause());
            }
        });
        return run.future();
    }

    private static Future<List<String>> query(DnsClient c, String type, String name) {
        return switch (type) {
            case "AAAA" -> c.resolveAAAA(name);
            case "CNAME" -> c.resolveCNAME(name);
            case "MX" -> c.resolveMX(name).map(l -> l.stream().map(MxRecord::name).toList());
            case "NS" -> c.resolveNS(name);
            case "TXT" -> c.resolveTXT(name);
            case "SRV" -> c.resolveSRV(name).map(l -> l.stream().map(SrvRecord::target).toList());
            default -> c.resolveA(name);
        };
    }
}
