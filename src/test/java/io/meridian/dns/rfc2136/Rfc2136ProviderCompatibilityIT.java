package io.meridian.dns.rfc2136;

import io.meridian.config.HostPort;
import io.meridian.config.TsigKeyFile;
import io.meridian.dns.DnsProvider;
import io.meridian.dns.DnsProviderCompatibilityKit;
import io.meridian.testing.BindServer;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The provider contract on a real BIND 9; hand edits are TSIG-signed updates made beside Meridian. */
class Rfc2136ProviderCompatibilityIT extends DnsProviderCompatibilityKit {

    @TempDir
    static Path dir;

    private static BindServer bind;
    private static Vertx vertx;
    private static Rfc2136Provider provider;

    @BeforeAll
    static void start() throws Exception {
        bind = BindServer.start(dir, ZONE);
        vertx = Vertx.vertx();
        provider = new Rfc2136Provider(new HostPort("127.0.0.1", bind.port()), ZONE, TsigKeyFile.read(bind.keyFile()), vertx.getOrCreateContext());
    }

    @AfterAll
    static void stop() throws Exception {
        provider.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        bind.close();
    }

    @Override
    protected DnsProvider provider() {
        return provider;
    }

    @Override
    protected Set<String> served(String name) throws Exception {
        return ask(bind.port(), name);
    }

    @Override
    protected boolean editableByHand() {
        return true;
    }

    @Override
    protected void createForeign(String name, String address) throws Exception {
        editOwned(name, address);
    }

    /** Replaces the A records of {@code name}, leaving its other records (Meridian's marker) alone. */
    @Override
    protected void editOwned(String name, String address) throws Exception {
        Name n = Name.fromString(name + ".");
        Update update = new Update(Name.fromString(ZONE + "."));
        update.delete(n, Type.A);
        update.add(new ARecord(n, DClass.IN, 30, InetAddress.getByName(address)));
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(bind.port());
        r.setTSIGKey(new TSIG(TSIG.HMAC_SHA256, BindServer.KEY_NAME + ".", bind.secret()));
        assertThat(Rcode.string(r.send(update).getRcode())).isEqualTo("NOERROR");
    }
}
