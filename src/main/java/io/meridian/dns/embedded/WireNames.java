package io.meridian.dns.embedded;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.util.Map;

/**
 * The names the fast path answers, keyed by their lowercased wire form (length-prefixed labels up to
 * the root), so a query's name is found from the packet's bytes without building a String. An open
 * addressing table, frozen with its {@link ZoneSnapshot}.
 */
final class WireNames {

    private final byte[][] keys;
    private final ZoneSnapshot.Entry[] values;
    private final int mask;

    /** @param names normalized names (lowercase, no trailing dot) and their entries */
    WireNames(Map<String, ZoneSnapshot.Entry> names) {
        int size = Integer.highestOneBit(Math.max(1, names.size()) * 4 - 1) << 1;
        keys = new byte[size][];
        values = new ZoneSnapshot.Entry[size];
        mask = size - 1;
        names.forEach((name, entry) -> {
            byte[] key = wire(name);
            int i = hash(key) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = key;
            values[i] = entry;
        });
    }

    /**
     * The entry of the name at {@code [start, end)} of {@code q}, which must be plain labels ending with
     * the root label (as the caller has walked them); ASCII letters match either case.
     */
    ZoneSnapshot.Entry lookup(ByteBuf q, int start, int end) {
        int h = 1;
        for (int p = start; p < end; p++) {
            h = 31 * h + lower(q.getByte(p));
        }
        for (int i = h & mask; keys[i] != null; i = (i + 1) & mask) {
            if (matches(keys[i], q, start, end)) {
                return values[i];
            }
        }
        return null;
    }

    private static boolean matches(byte[] key, ByteBuf q, int start, int end) {
        if (key.length != end - start) {
            return false;
        }
        for (int i = 0; i < key.length; i++) {
            if (key[i] != lower(q.getByte(start + i))) {
                return false;
            }
        }
        return true;
    }

    /** Lowers A–Z only, as the name lookup of the full path does for ASCII names. */
    private static byte lower(byte b) {
        return b >= 'A' && b <= 'Z' ? (byte) (b + 32) : b;
    }

    private static int hash(byte[] key) {
        int h = 1;
        for (byte b : key) {
            h = 31 * h + b;
        }
        return h;
    }

    /**
     * "app.example.test" as 3app7example4test0 ({@link ResponseWriter#writeName}). Two label sequences are
     * equal as bytes only when their labels are, so a query whose label holds a dot never matches another name.
     */
    static byte[] wire(String name) {
        ByteBuf b = Unpooled.buffer(name.length() + 2);
        ResponseWriter.writeName(b, name);
        return ByteBufUtil.getBytes(b);
    }
}
