package io.meridian.dns.rfc2136;

import io.meridian.config.HostPort;
import io.meridian.config.TsigKeyFile;
import io.meridian.dns.DnsChange;
import io.meridian.dns.RecordSet;
import io.meridian.testing.BindServer;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RFC 2136 provider against a real BIND 9: assertions query BIND itself. */
class Rfc2136ProviderIT {

    private static final String ZONE = "example.test";

    @TempDir
    static Path dir;

    private static BindServer bind;
    private static Vertx vertx;
    private static Context context;
    private static Rfc2136Provider provider;

    @BeforeAll
    static void start() throws Exception {
        bind = BindServer.start(dir, ZONE, "manual IN A 10.9.9.9");
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        provider = new Rfc2136Provider(new HostPort("127.0.0.1", bind.port()), ZONE, TsigKeyFile.read(bind.keyFile()), context);
    }

    @AfterAll
    static void stop() throws Exception {
        provider.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        bind.close();
    }

    private static void apply(Rfc2136Provider p, DnsChange... changes) throws Exception {
        p.apply(List.of(changes)).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static Message ask(String name, int type) throws Exception {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(bind.port());
        return r.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
    }

    private static List<String> a(String name) throws Exception {
        return ask(name, Type.A).getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
    }

    private static long serial() throws Exception {
        return ((SOARecord) ask(ZONE, Type.SOA).getSection(Section.ANSWER).get(0)).getSerial();
    }

    private static DnsChange change(String name, RecordSet... sets) {
        return new DnsChange(name, Duration.ofSeconds(30), List.of(sets));
    }

    @Test
    void publishesAndReplacesAnswersInOneSignedUpdate() throws Exception {
        long before = serial();
        apply(provider, change("app.example.test", new RecordSet("us-east", 1, List.of("127.0.1.1", "127.0.1.2"))));
        assertThat(a("app.example.test")).containsExactly("127.0.1.1", "127.0.1.2");
        assertThat(ask("app.example.test", Type.A).getSection(Section.ANSWER)).allSatisfy(r -> assertThat(r.getTTL()).isEqualTo(30));
        assertThat(ask("app.example.test", Type.TXT).getSection(Section.ANSWER).get(0).rdataToString()).contains(Rfc2136Provider.OWNER);
        assertThat(serial()).as("the server bumps the serial").isGreaterThan(before);
        apply(provider, change("app.example.test", new RecordSet("eu-west", 1, List.of("127.0.2.1"))));
        assertThat(a("app.example.test")).containsExactly("127.0.2.1");
    }

    @Test
    void aWeightedServiceIsPublishedAsItsHeaviestSet() throws Exception {
        apply(provider, change("www.example.test", new RecordSet("us-east", 20, List.of("127.0.1.1")),
                new RecordSet("eu-west", 50, List.of("127.0.2.1")), new RecordSet("ap-south", 30, List.of("127.0.3.1"))));
        assertThat(a("www.example.test")).containsExactly("127.0.2.1");
    }

    @Test
    void neverTouchesANameSomeoneElseHolds() throws Exception {
        assertThatThrownBy(() -> apply(provider, change("manual.example.test", new RecordSet("x", 1, List.of("127.0.1.1")))))
                .isInstanceOf(ExecutionException.class).cause()
                .hasMessageContaining("zone example.test.").hasMessageContaining("YXRRSET")
                .hasMessageContaining("records Meridian does not own");
        assertThat(a("manual.example.test")).containsExactly("10.9.9.9");
    }

    @Test
    void aWrongKeyIsRefusedNamingTheTsigError() throws Exception {
        TSIG wrongSecret = new TSIG(TSIG.HMAC_SHA256, BindServer.KEY_NAME + ".", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        Rfc2136Provider bad = new Rfc2136Provider(new HostPort("127.0.0.1", bind.port()), ZONE, wrongSecret, context);
        try {
            assertThatThrownBy(() -> apply(bad, change("other.example.test", new RecordSet("x", 1, List.of("127.0.1.1")))))
                    .cause().hasMessageContaining("NOTAUTH").hasMessageContaining("BADSIG");
        } finally {
            bad.close();
        }
        TSIG unknownKey = new TSIG(TSIG.HMAC_SHA256, "nobody.", bind.secret());
        Rfc2136Provider stranger = new Rfc2136Provider(new HostPort("127.0.0.1", bind.port()), ZONE, unknownKey, context);
        try {
            assertThatThrownBy(() -> apply(stranger, change("other.example.test", new RecordSet("x", 1, List.of("127.0.1.1")))))
                    .cause().hasMessageContaining("NOTAUTH").hasMessageContaining("BADKEY");
        } finally {
            stranger.close();
        }
        assertThat(a("other.example.test")).isEmpty();
    }

    @Test
    void readsBindKeyFiles() throws Exception {
        assertThat(TsigKeyFile.read(bind.keyFile())).isNotNull();
        Path broken = dir.resolve("broken.key");
        java.nio.file.Files.writeString(broken, "key \"x\" { algorithm hmac-md5; secret \"AAAA\"; };");
        assertThatThrownBy(() -> TsigKeyFile.read(broken)).hasMessageContaining("hmac-md5").hasMessageContaining("broken.key");
    }
}
