package io.meridian.dns;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The contract every {@link DnsProvider} keeps, run against each of them (embedded server, RFC 2136
 * on BIND, Route 53 on its stand-in). Each test uses its own names so the order does not matter.
 * What a resolver would get is read from the provider's own server, not from Meridian's memory.
 */
public abstract class DnsProviderCompatibilityKit {

    public static final String ZONE = "compat.meridian.test";

    protected abstract DnsProvider provider();

    /** Every address the provider serves for {@code name} (A and AAAA). */
    protected abstract Set<String> served(String name) throws Exception;

    /** False for a provider that is its own source of truth: nobody can edit its records by hand. */
    protected abstract boolean editableByHand();

    /** Puts an A record at a name Meridian does not own, as an operator would by hand. */
    protected abstract void createForeign(String name, String address) throws Exception;

    /** Changes the address of a record Meridian published, as an operator would by hand. */
    protected abstract void editOwned(String name, String address) throws Exception;

    protected static void await(io.vertx.core.Future<?> f) throws Exception {
        f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    protected static DnsChange change(String name, String region, String... addresses) {
        return new DnsChange(name + "." + ZONE, Duration.ofSeconds(30),
                addresses.length == 0 ? List.of() : List.of(new RecordSet(region, 100, List.of(addresses))));
    }

    /** Asks a DNS server on loopback for A and AAAA of {@code name}. */
    protected static Set<String> ask(int port, String name) throws Exception {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(port);
        Set<String> out = new TreeSet<>();
        for (int type : new int[] {Type.A, Type.AAAA}) {
            Message m = r.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
            m.getSection(Section.ANSWER).stream().filter(rec -> rec.getType() == type)
                    .forEach(rec -> out.add(address(rec)));
        }
        return out;
    }

    private static String address(Record rec) {
        return rec instanceof org.xbill.DNS.ARecord a ? a.getAddress().getHostAddress()
                : ((org.xbill.DNS.AAAARecord) rec).getAddress().getHostAddress();
    }

    @Test
    void publishesAnAnswerSetAndSeesNoDriftInIt() throws Exception {
        DnsChange app = change("app", "us-east", "127.0.1.1", "127.0.1.2");
        await(provider().apply(List.of(app)));
        assertThat(served("app." + ZONE)).containsExactly("127.0.1.1", "127.0.1.2");
        assertThat(provider().drift(List.of(app)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void replacesTheAnswerWhenTheRegionChanges() throws Exception {
        await(provider().apply(List.of(change("move", "us-east", "127.0.1.1"))));
        await(provider().apply(List.of(change("move", "eu-west", "127.0.2.1"))));
        assertThat(served("move." + ZONE)).containsExactly("127.0.2.1");
    }

    @Test
    void applyingTheSameChangeTwiceIsHarmless() throws Exception {
        DnsChange same = change("same", "us-east", "127.0.1.1");
        await(provider().apply(List.of(same)));
        await(provider().apply(List.of(same)));
        assertThat(served("same." + ZONE)).containsExactly("127.0.1.1");
    }

    @Test
    void anEmptyAnswerRemovesTheName() throws Exception {
        await(provider().apply(List.of(change("gone", "us-east", "127.0.1.1"))));
        await(provider().apply(List.of(change("gone", "us-east"))));
        assertThat(served("gone." + ZONE)).isEmpty();
    }

    @Test
    void publishesIpv6AddressesAsAaaa() throws Exception {
        await(provider().apply(List.of(change("six", "us-east", "::1", "127.0.1.1"))));
        assertThat(served("six." + ZONE)).containsExactly("0:0:0:0:0:0:0:1", "127.0.1.1");
    }

    @Test
    void publishesManyNamesInOneApply() throws Exception {
        List<DnsChange> many = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            many.add(change("many" + i, "us-east", "127.0.1." + (i + 1)));
        }
        await(provider().apply(many));
        for (int i = 0; i < 25; i++) {
            assertThat(served("many" + i + "." + ZONE)).containsExactly("127.0.1." + (i + 1));
        }
    }

    @Test
    void aChangeOutsideTheZoneIsRefusedAndNothingOfItsBatchIsApplied() throws Exception {
        DnsChange inside = change("atomic", "us-east", "127.0.1.1");
        DnsChange outside = new DnsChange("app.elsewhere.test", Duration.ofSeconds(30), List.of(new RecordSet("us-east", 1, List.of("127.0.1.1"))));
        assertThatThrownBy(() -> await(provider().apply(List.of(inside, outside))))
                .isInstanceOf(ExecutionException.class).cause().hasMessageContaining("app.elsewhere.test");
        assertThat(served("atomic." + ZONE)).isEmpty();
    }

    @Test
    void neverTouchesANameItDoesNotOwn() throws Exception {
        assumeTrue(editableByHand(), "nobody else writes to this provider");
        createForeign("foreign." + ZONE, "10.9.9.9");
        assertThatThrownBy(() -> await(provider().apply(List.of(change("foreign", "us-east", "127.0.1.1")))))
                .isInstanceOf(ExecutionException.class).cause().hasMessageContaining("foreign." + ZONE);
        assertThat(served("foreign." + ZONE)).containsExactly("10.9.9.9");
    }

    @Test
    void aHandEditIsReportedAsDriftAndRepairedByApplyingAgain() throws Exception {
        assumeTrue(editableByHand(), "nobody else writes to this provider");
        DnsChange edited = change("edited", "us-east", "127.0.1.1");
        await(provider().apply(List.of(edited)));
        editOwned("edited." + ZONE, "10.7.7.7");
        assertThat(served("edited." + ZONE)).containsExactly("10.7.7.7");
        assertThat(provider().drift(List.of(edited)).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
                .containsExactly(edited);
        await(provider().apply(List.of(edited)));
        assertThat(served("edited." + ZONE)).containsExactly("127.0.1.1");
    }
}
