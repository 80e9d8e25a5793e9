package io.meridian.dns.embedded;

import io.meridian.config.DnsConfig;
import io.meridian.config.HostPort;
import io.meridian.config.SoaConfig;
import io.meridian.dns.DnsProvider;
import io.meridian.dns.DnsProviderCompatibilityKit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.Set;

/** The provider contract on the embedded server, read back by querying it. */
class EmbeddedProviderCompatibilityTest extends DnsProviderCompatibilityKit {

    private static EmbeddedDnsServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        SoaConfig soa = SoaConfig.defaults(ZONE);
        server = new EmbeddedDnsServer(new DnsConfig(ZONE, new HostPort("127.0.0.1", 0), soa), new SimpleMeterRegistry(), 1);
        port = server.start().toCompletionStage().toCompletableFuture().get();
    }

    @AfterAll
    static void stop() throws Exception {
        await(server.stop());
    }

    @Override
    protected DnsProvider provider() {
        return server;
    }

    @Override
    protected Set<String> served(String name) throws Exception {
        return ask(port, name);
    }

    @Override
    protected boolean editableByHand() {
        return false;
    }

    @Override
    protected void createForeign(String name, String address) {
        throw new UnsupportedOperationException("the embedded server has no records but Meridian's");
    }

    @Override
    protected void editOwned(String name, String address) {
        throw new UnsupportedOperationException("the embedded server has no records but Meridian's");
    }
}
