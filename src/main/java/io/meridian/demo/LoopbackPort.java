package io.meridian.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A port free right now on a loopback address, for the local etcd, demos and benches. */
public final class LoopbackPort {

    private LoopbackPort() {
    }

    public static int free(String address) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(address, 0));
            return s.getLocalPort();
        }
    }
}
