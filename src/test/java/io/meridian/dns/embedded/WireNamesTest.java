package io.meridian.dns.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WireNamesTest {

    private static ZoneSnapshot.Entry entry(int ttl) {
        return new ZoneSnapshot.Entry(ttl, List.of(new ZoneSnapshot.WireSet(1, List.of(new byte[] {127, 0, 0, 1}), List.of())), 1, Map.of());
    }

    /** A name's wire bytes in the case a client wrote it (the server's own encoding lowers it). */
    private static byte[] asAsked(String name) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        out.write(0);
        return out.toByteArray();
    }

    /** The name's wire bytes inside a packet, after {@code pad} bytes of something else. */
    private static ByteBuf packet(byte[] name, int pad) {
        return Unpooled.buffer().writeZero(pad).writeBytes(name).writeZero(4);
    }

    @Test
    void findsEveryNameInAnyCaseAndNothingElse() {
        Map<String, ZoneSnapshot.Entry> names = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            names.put("svc" + i + ".example.test", entry(i));
        }
        WireNames table = new WireNames(names);
        for (int i = 0; i < 500; i++) {
            byte[] wire = asAsked("SVC" + i + ".Example.TEST");
            ByteBuf p = packet(wire, 12);
            assertThat(table.lookup(p, 12, 12 + wire.length)).isSameAs(names.get("svc" + i + ".example.test"));
        }
        for (String other : List.of("svc500.example.test", "svc1.example", "example.test", "svc1.example.test.example.test")) {
            byte[] wire = WireNames.wire(other);
            assertThat(table.lookup(packet(wire, 3), 3, 3 + wire.length)).as(other).isNull();
        }
    }

    @Test
    void aDotInsideALabelIsNotASeparator() {
        WireNames table = new WireNames(Map.of("app.example.test", entry(30)));
        // One label "app.example", then "test": the same letters as the name, not the same name.
        byte[] dotted = {11, 'a', 'p', 'p', '.', 'e', 'x', 'a', 'm', 'p', 'l', 'e', 4, 't', 'e', 's', 't', 0};
        assertThat(table.lookup(packet(dotted, 0), 0, dotted.length)).isNull();
        assertThat(WireNames.wire("app.example.test")).hasSize(18);
    }

    @Test
    void anEmptyTableFindsNothing() {
        byte[] wire = WireNames.wire("a.test");
        assertThat(new WireNames(Map.of()).lookup(packet(wire, 0), 0, wire.length)).isNull();
    }
}
