package io.meridian.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * IPv4 and IPv6 literals, parsed by hand and never looked up: {@code InetAddress.getByName} would ask
 * the system resolver about anything that is not a literal (so {@code x::1} in a region file made
 * validation do a DNS lookup). Addresses in answers, endpoints and listen addresses are literals only.
 */
public final class IpLiteral {

    private IpLiteral() {
    }

    /** The 4 or 16 bytes of an IPv4 ({@code 192.0.2.1}) or IPv6 ({@code 2001:db8::1}, {@code ::ffff:192.0.2.1}) literal. */
    public static Optional<byte[]> bytes(String text) {
        return text.indexOf(':') < 0 ? v4(text) : v6(text);
    }

    public static boolean isLiteral(String text) {
        return bytes(text).isPresent();
    }

    /** @throws IllegalArgumentException naming the address when it is not an IPv4 or IPv6 literal */
    public static InetAddress parse(String address) {
        byte[] b = bytes(address).orElseThrow(() -> new IllegalArgumentException("address " + address + " is not an IP literal"));
        try {
            return InetAddress.getByAddress(b); // from bytes: no lookup
        } catch (UnknownHostException impossible) {
            throw new IllegalArgumentException("address " + address + " is not an IP literal", impossible);
        }
    }

    /** One spelling per address (as {@link InetAddress#getHostAddress()} writes it), for comparing. */
    public static String canonical(String address) {
        return parse(address).getHostAddress();
    }

    private static Optional<byte[]> v4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0') || !ascii(p, 10)) {
                return Optional.empty();
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                return Optional.empty();
            }
            out[i] = (byte) v;
        }
        return Optional.of(out);
    }

    private static Optional<byte[]> v6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return Optional.empty();
        }
        String head = gap < 0 ? text : text.substring(0, gap);
        String tail = gap < 0 ? "" : text.substring(gap + 2);
        byte[] h = groups(head, gap < 0);
        byte[] t = gap < 0 ? new byte[0] : groups(tail, true);
        if (h == null || t == null || (gap < 0 ? h.length != 16 : h.length + t.length > 14)) {
            return Optional.empty();
        }
        byte[] out = new byte[16];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(t, 0, out, 16 - t.length, t.length);
        return Optional.of(out);
    }

    /** Colon-separated hex groups (the last may be a dotted IPv4 address if {@code last}); null when malformed. */
    private static byte[] groups(String text, boolean last) {
        if (text.isEmpty()) {
            return new byte[0];
        }
        String[] parts = text.split(":", -1);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (last && i == parts.length - 1 && p.indexOf('.') >= 0) {
                Optional<byte[]> v4 = v4(p);
                if (v4.isEmpty()) {
                    return null;
                }
                out.writeBytes(v4.get());
            } else if (p.isEmpty() || p.length() > 4 || !ascii(p, 16)) {
                return null;
            } else {
                int v = Integer.parseInt(p, 16);
                out.write(v >> 8);
                out.write(v & 0xFF);
            }
        }
        return out.size() > 16 ? null : out.toByteArray();
    }

    /** Only ASCII digits of the radix: Integer.parseInt alone also takes other scripts' digits. */
    private static boolean ascii(String s, int radix) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= '0' && c <= '9' || radix == 16 && (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
