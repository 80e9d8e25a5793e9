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
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.util.List;

/**
 * Asks the endpoint (a DNS server) for the check's name and type over UDP from a fresh socket, and
 * again over TCP when the UDP answer comes back truncated (TC); succeeds when the response code is
 * the expected one and, if asked, an answer holds the expected value. Messages are built and read
 * with dnsjava's wire format; the sockets are Vert.x's, so nothing blocks. Failures: {@code dns_rcode}
 * (with the code), {@code dns_answer}, {@code bad_response} (not a DNS answer to this query),
 * {@code timeout}, and the connection reasons for TCP.
 */
public final class DnsProber implements Prober {

    private final Vertx vertx;
    private final Clock clock;
    private final NetClient tcp;

    public DnsProber(Vertx vertx, Clock clock) {
        this.vertx = vertx;
        this.clock = clock;
        this.tcp = vertx.createNetClient(new NetClientOptions());
    }

    @Override
    public Future<ProbeResult> probe(ProbeTarget target) {
        ProbeRun run = new ProbeRun(vertx, clock, target);
        ProbeOptions o = target.check().options();
        Message query;
        try {
            String name = o.query().endsWith(".") ? o.query() : o.query() + ".";
            query = Message.newQuery(Record.newRecord(Name.fromString(name), Type.value(o.queryType()), DClass.IN));
            query.getHeader().unsetFlag(Flags.RD);
        } catch (TextParseException e) {
            run.fail(FailureReason.ERROR, "query name '" + o.query() + "' is not a domain name");
            return run.future();
        }
        byte[] wire = query.toWire();
        boolean v6 = target.address().contains(":");
        DatagramSocket udp = vertx.createDatagramSocket(new DatagramSocketOptions().setIpV6(v6));
        run.onTimeout(udp::close);
        udp.handler(packet -> {
            Message answer;
            try {
                answer = new Message(packet.data().getBytes());
            } catch (IOException e) {
                return; // not a DNS message: keep waiting for the real answer (or the timeout)
            }
            if (answer.getHeader().getID() != query.getHeader().getID()) {
                return; // a late answer to someone else's query
            }
            udp.close();
            if (answer.getHeader().getFlag(Flags.TC)) {
                overTcp(run, target, wire, query);
            } else {
                evaluate(run, answer, o, "");
            }
        });
        udp.listen(0, v6 ? "::" : "0.0.0.0")
                .compose(s -> s.send(Buffer.buffer(wire), target.port(), target.address()))
                .onFailure(err -> {
                    udp.close();
                    run.fail(err);
                });
        return run.future();
    }

    /** RFC 7766: the same query with a two-byte length prefix, on a fresh connection. */
    private void overTcp(ProbeRun run, ProbeTarget target, byte[] wire, Message query) {
        tcp.connect(target.port(), target.address()).onComplete(ar -> {
            if (ar.failed()) {
                run.fail(ar.cause());
                return;
            }
            NetSocket socket = ar.result();
            if (run.isDone()) {
                socket.close();
                return;
            }
            run.onTimeout(socket::close);
            Buffer received = Buffer.buffer();
            socket.handler(chunk -> {
                received.appendBuffer(chunk);
                if (received.length() >= 2 && received.length() >= 2 + received.getUnsignedShort(0)) {
                    socket.close();
                    try {
                        Message answer = new Message(received.getBytes(2, 2 + received.getUnsignedShort(0)));
                        if (answer.getHeader().getID() != query.getHeader().getID()) {
                            run.fail(FailureReason.BAD_RESPONSE, "TCP answer with id " + answer.getHeader().getID() + ", asked " + query.getHeader().getID());
                        } else {
                            evaluate(run, answer, target.check().options(), " (over TCP: the UDP answer was truncated)");
                        }
                    } catch (IOException e) {
                        run.fail(FailureReason.BAD_RESPONSE, "not a DNS message over TCP: " + e.getMessage());
                    }
                }
            });
            socket.exceptionHandler(run::fail);
            socket.closeHandler(v -> run.fail(FailureReason.CLOSED, "closed over TCP before a full answer (" + received.length() + " bytes)"));
            socket.write(Buffer.buffer().appendUnsignedShort(wire.length).appendBytes(wire));
        });
    }

    private static void evaluate(ProbeRun run, Message answer, ProbeOptions o, String note) {
        String rcode = Rcode.string(answer.getRcode());
        String asked = o.query() + " " + o.queryType();
        if (!rcode.equals(o.expectRcode())) {
            run.fail(FailureReason.DNS_RCODE, "rcode " + rcode + " for " + asked + " (expected " + o.expectRcode() + ")" + note);
            return;
        }
        List<String> values = answer.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
        if (o.answerContains().isPresent() && values.stream().noneMatch(v -> v.contains(o.answerContains().get()))) {
            run.fail(FailureReason.DNS_ANSWER, asked + " answered " + values + ", none contains '" + o.answerContains().get() + "'" + note);
            return;
        }
        if (note.isEmpty()) {
            run.succeed();
        } else {
            run.succeed("ok" + note);
        }
    }
}
