package io.meridian.dns.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;

/**
 * The system calls under {@link UdpBatchLoop}: {@code recvmmsg} and {@code sendmmsg} on buffers the
 * caller owns (see {@code src/main/c/meridian_udp.c}). The library is built with the jar for the
 * build machine's Linux architecture; where it is absent or does not load, the server uses Netty's
 * UDP sockets instead ({@link #unavailable} says why).
 */
final class NativeUdp {

    /** Bytes per peer address in the names buffer (a {@code sockaddr_in6} is 28). */
    static final int NAME_SLOT = 32;
    /** Set to {@code false} to use Netty's sockets even where the library loads (for comparison). */
    static final String PROPERTY = "meridian.dns.native-udp";

    private static final Optional<String> UNAVAILABLE = load();

    private NativeUdp() {
    }

    /** Why the library is not used here, or empty when it is. */
    static Optional<String> unavailable() {
        return UNAVAILABLE;
    }

    private static Optional<String> load() {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            return Optional.of(PROPERTY + "=false");
        }
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            return Optional.of("not Linux (" + os + ")");
        }
        String resource = "/native/linux-" + System.getProperty("os.arch") + "/libmeridian-udp.so";
        try (InputStream in = NativeUdp.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.of("no " + resource + " in the jar (built without gcc, or for another architecture)");
            }
            Path file = Files.createTempFile("meridian-udp", ".so");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            System.load(file.toString());
            return Optional.empty();
        } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
            return Optional.of(resource + " does not load: " + e.getMessage());
        }
    }

    /** A UDP socket bound to {@code addr:port} (4 or 16 bytes) with SO_REUSEPORT; the descriptor, or -errno. */
    static native int open(byte[] addr, int port, int timeoutMillis);

    /** Blocks for at least one datagram (or the socket's timeout); how many it took, or -errno. */
    static native int receive(int fd, long data, int slotSize, long names, long lens, int slots);

    /** Sends the slots with a positive length; how many datagrams the kernel refused. */
    static native int send(int fd, long data, int slotSize, long names, long lens, int count);

    /** The address of a direct buffer's memory. */
    static native long address(ByteBuffer direct);

    static native void shutdown(int fd);

    static native void close(int fd);

    /** The system's text for an errno. */
    static native String error(int errno);
}
