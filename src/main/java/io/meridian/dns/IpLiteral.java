package io.meridian.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The addresses of answers are IP literals (config validation admits nothing else): parsed, never looked up. */
public final class IpLiteral {

    private IpLiteral() {
    }

    /** @throws IllegalArgumentException naming the address when it is not an IPv4 or IPv6 literal */
    public static InetAddress parse(String address) {
        try {
            InetAddress a = InetAddress.getByName(address);
            if (a instanceof Inet4Address || address.contains(":")) {
                return a;
            }
        } catch (UnknownHostException e) {
            // fall through
        }
        throw new IllegalArgumentException("address " + address + " is not an IP literal");
    }

    /** One spelling per address (as {@link InetAddress#getHostAddress()} writes it), for comparing. */
    public static String canonical(String address) {
        return parse(address).getHostAddress();
    }
}
