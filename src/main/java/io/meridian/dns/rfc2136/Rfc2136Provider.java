package io.meridian.dns.rfc2136;

import io.meridian.config.HostPort;
import io.meridian.config.TsigKeyFile;
import io.meridian.dns.DnsChange;
import io.meridian.dns.DnsProvider;
import io.meridian.config.IpLiteral;
import io.meridian.dns.RecordSet;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.TSIGRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Publishes through RFC 2136 dynamic updates signed with TSIG. Meridian owns a name only when a
 * TXT record {@value #OWNER} stands beside it; it never touches a name someone else holds:
 * <ul>
 *   <li>a name Meridian owns is updated with the prerequisite that the marker still exists;</li>
 *   <li>a new name is claimed with the prerequisite that it has no A, AAAA or marker yet, so an
 *       address someone put there by hand makes the update fail (YXRRSET) instead of being clobbered.</li>
 * </ul>
 * All changes of one {@link #apply} go in one UPDATE message, which the server applies atomically,
 * over TCP when it is larger than 512 bytes. The server bumps the SOA serial. A plain DNS server
 * cannot weigh answers per query, so a weighted service is published as the one answer set with the
 * highest weight (the first on a tie); failover and latency services as their default set.
 */
public final class Rfc2136Provider implements DnsProvider {

    public static final String OWNER = "meridian-owned";

    private final HostPort server;
    private final Name zone;
    private final TSIG key;
    private final Context context;
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "meridian-rfc2136");
        t.setDaemon(true);
        return t;
    });

    /** @param context the Vert.x context completions are delivered on (the controller's) */
    public Rfc2136Provider(HostPort server, String zone, TsigKeyFile.TsigKey key, Context context) throws TextParseException {
        this(server, zone, new TSIG(Name.fromString(key.algorithm() + "."), Name.fromString(key.name() + "."), key.secret()), context);
    }

    public Rfc2136Provider(HostPort server, String zone, TSIG key, Context context) throws TextParseException {
        this.server = server;
        this.zone = Name.fromString(zone.endsWith(".") ? zone : zone + ".");
        this.key = key;
        this.context = context;
    }

    @Override
    public String name() {
        return "rfc2136";
    }

    @Override
    public Future<Void> apply(List<DnsChange> changes) {
        return bridged(java.util.concurrent.CompletableFuture.runAsync(() -> applyBlocking(changes), io));
    }

    @Override
    public Future<List<DnsChange>> drift(List<DnsChange> published) {
        return bridged(java.util.concurrent.CompletableFuture.supplyAsync(() -> driftBlocking(published), io));
    }

    /** The blocking work's outcome on the controller's context, failed with its own error rather than a CompletionException. */
    private <T> Future<T> bridged(CompletionStage<T> work) {
        return Future.fromCompletionStage(work, context).recover(err -> Future.failedFuture(
                err instanceof java.util.concurrent.CompletionException && err.getCause() != null ? err.getCause() : err));
    }

    /** Reads each name back (A, AAAA and the marker) and keeps the changes whose records differ. */
    private List<DnsChange> driftBlocking(List<DnsChange> published) {
        try {
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(IpLiteral.parse(server.host()), server.port()));
            resolver.setTimeout(Duration.ofSeconds(5));
            List<DnsChange> drifted = new java.util.ArrayList<>();
            for (DnsChange c : published) {
                Name name = Name.fromString(c.name().endsWith(".") ? c.name() : c.name() + ".");
                java.util.TreeSet<String> expected = new java.util.TreeSet<>();
                chosen(c).ifPresent(s -> s.addresses().forEach(a -> expected.add(IpLiteral.canonical(a))));
                java.util.TreeSet<String> actual = new java.util.TreeSet<>();
                for (int type : new int[] {Type.A, Type.AAAA}) {
                    for (Record r : resolver.send(Message.newQuery(Record.newRecord(name, type, DClass.IN))).getSection(Section.ANSWER)) {
                        if (r instanceof ARecord a) {
                            actual.add(a.getAddress().getHostAddress());
                        } else if (r instanceof AAAARecord a) {
                            actual.add(a.getAddress().getHostAddress());
                        }
                    }
                }
                if (!actual.equals(expected) || !owned(resolver, name) && !expected.isEmpty()) {
                    drifted.add(c);
                }
            }
            return drifted;
        } catch (java.io.IOException e) {
            throw error("cannot read back the records: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /** One UPDATE for all changes; blocking, on the provider's own thread. */
    private void applyBlocking(List<DnsChange> changes) {
        try {
            SimpleResolver resolver = new SimpleResolver(new InetSocketAddress(IpLiteral.parse(server.host()), server.port()));
            resolver.setTimeout(Duration.ofSeconds(5));
            Update update = new Update(zone);
            for (DnsChange c : changes) {
                Name name = Name.fromString(c.name().endsWith(".") ? c.name() : c.name() + ".");
                if (!name.subdomain(zone)) {
                    throw new IllegalArgumentException("record " + name + " is outside the zone");
                }
                TXTRecord marker = new TXTRecord(name, DClass.IN, c.ttl().toSeconds(), OWNER);
                if (owned(resolver, name)) {
                    // Prerequisite records carry TTL 0 (RFC 2136 section 2.4.2). If the marker is gone
                    // by the time the server applies this, someone edited by hand: fail, do not clobber.
                    update.present(new TXTRecord(name, DClass.IN, 0, OWNER));
                } else {
                    update.absent(name, Type.A);
                    update.absent(name, Type.AAAA);
                    update.absent(name, Type.TXT);
                }
                update.delete(name, Type.A);
                update.delete(name, Type.AAAA);
                update.delete(name, Type.TXT);
                chosen(c).ifPresent(set -> {
                    for (String address : set.addresses()) {
                        update.add(record(name, c.ttl().toSeconds(), address));
                    }
                    update.add(marker);
                });
            }
            resolver.setTSIGKey(key);
            resolver.setTCP(update.toWire().length > 512);
            Message response = resolver.send(update);
            if (response.getRcode() != Rcode.NOERROR) {
                TSIGRecord tsig = response.getTSIG();
                String tsigError = tsig != null && tsig.getError() != Rcode.NOERROR ? " (TSIG " + Rcode.TSIGstring(tsig.getError()) + ")" : "";
                throw error("update of " + changes.stream().map(DnsChange::name).toList() + " refused: "
                        + Rcode.string(response.getRcode()) + tsigError + explain(response.getRcode()));
            }
        } catch (java.io.IOException e) {
            throw error("cannot reach the server: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static String explain(int rcode) {
        return switch (rcode) {
            case Rcode.YXRRSET -> ": the name holds records Meridian does not own, or was changed by hand";
            case Rcode.NXRRSET -> ": Meridian's ownership marker is gone: the name was changed by hand";
            case Rcode.NOTAUTH -> ": the key is not accepted for this zone";
            case Rcode.REFUSED -> ": the server does not allow updates of this zone with this key";
            default -> "";
        };
    }

    private boolean owned(SimpleResolver resolver, Name name) throws java.io.IOException {
        Message q = Message.newQuery(Record.newRecord(name, Type.TXT, DClass.IN));
        Message r = resolver.send(q);
        return r.getSection(Section.ANSWER).stream().anyMatch(rec -> rec instanceof TXTRecord t && t.getStrings().contains(OWNER));
    }

    /** The set a plain DNS server publishes: the heaviest (first on a tie); empty removes the name. */
    static java.util.Optional<RecordSet> chosen(DnsChange c) {
        return c.sets().stream().max(Comparator.comparingInt(RecordSet::weight).thenComparing(s -> -c.sets().indexOf(s)));
    }

    private static Record record(Name name, long ttl, String address) {
        InetAddress a = IpLiteral.parse(address);
        return a.getAddress().length == 4 ? new ARecord(name, DClass.IN, ttl, a) : new AAAARecord(name, DClass.IN, ttl, a);
    }

    public void close() {
        io.shutdownNow();
    }

    private IllegalStateException error(String what) {
        return new IllegalStateException("rfc2136 provider, zone " + zone + " at " + server + ": " + what);
    }
}
