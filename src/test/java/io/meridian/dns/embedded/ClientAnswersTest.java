package io.meridian.dns.embedded;

import io.meridian.config.ClientRule;
import io.meridian.config.DnsConfig;
import io.meridian.config.HostPort;
import io.meridian.config.SoaConfig;
import io.meridian.dns.DnsChange;
import io.meridian.dns.RecordSet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ClientSubnetOption;
import org.xbill.DNS.DClass;
import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Answers that depend on where the client is: EDNS Client Subnet first, else the resolver's address. */
class ClientAnswersTest {

    private static EmbeddedDnsServer server;
    private static int port;

    @BeforeAll
    static void start() throws Exception {
        SoaConfig soa = SoaConfig.defaults("example.test");
        List<ClientRule> rules = List.of(
                new ClientRule("10.1.0.0/16", InetAddress.getByName("10.1.0.0").getAddress(), 16, "eu-west"),
                new ClientRule("127.0.0.0/8", InetAddress.getByName("127.0.0.0").getAddress(), 8, "us-east"));
        server = new EmbeddedDnsServer(new DnsConfig("example.test", new HostPort("127.0.0.1", 0), soa), rules,
                new SimpleMeterRegistry(), 1);
        port = server.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.apply(List.of(new DnsChange("near.example.test", Duration.ofSeconds(5),
                List.of(new RecordSet("ap-south", 1, List.of("127.0.3.1"))),
                Map.of("us-east", List.of(new RecordSet("us-east", 1, List.of("127.0.1.1"))),
                        "eu-west", List.of(new RecordSet("eu-west", 1, List.of("127.0.2.1")))))));
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Message query(String subnet, int prefix) throws Exception {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(port);
        Message q = Message.newQuery(Record.newRecord(Name.fromString("near.example.test."), Type.A, DClass.IN));
        if (subnet != null) {
            q.addRecord(new OPTRecord(1232, 0, 0, 0, List.of(new ClientSubnetOption(prefix, InetAddress.getByName(subnet)))),
                    Section.ADDITIONAL);
        }
        return r.send(q);
    }

    private static List<String> answer(Message m) {
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).toList();
    }

    @Test
    void placesAClientByItsResolverAddressWithoutEcs() throws Exception {
        assertThat(answer(query(null, 0))).containsExactly("127.0.1.1");
    }

    @Test
    void placesAClientByEcsAndEchoesTheScope() throws Exception {
        Message m = query("10.1.2.0", 24);
        assertThat(answer(m)).containsExactly("127.0.2.1");
        ClientSubnetOption echo = (ClientSubnetOption) m.getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET).get(0);
        assertThat(echo.getSourcePrefixLength()).isEqualTo(24);
        assertThat(echo.getScopePrefixLength()).isEqualTo(16);
    }

    @Test
    void answersClientsInNoKnownRegionWithTheDefaultSet() throws Exception {
        Message m = query("192.0.2.0", 24);
        assertThat(answer(m)).containsExactly("127.0.3.1");
        ClientSubnetOption echo = (ClientSubnetOption) m.getOPT().getOptions(EDNSOption.Code.CLIENT_SUBNET).get(0);
        assertThat(echo.getScopePrefixLength()).isZero();
    }
}
