package io.meridian.probe;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Maps the exceptions of connect, TLS and I/O to stable {@link FailureReason}s. */
public final class FailureClassifier {

    private FailureClassifier() {
    }

    public static FailureReason classify(Throwable t) {
        if (local(t)) {
            return FailureReason.LOCAL_ERROR;
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ConnectTimeoutException) {
                return FailureReason.CONNECT_TIMEOUT;
            }
            if (c instanceof NoRouteToHostException) {
                return FailureReason.UNREACHABLE;
            }
            if (c instanceof ConnectException) {
                String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
                return m.contains("unreachable") ? FailureReason.UNREACHABLE : FailureReason.CONNECT_REFUSED;
            }
            if (c instanceof java.security.cert.CertificateExpiredException) {
                return FailureReason.TLS_EXPIRED;
            }
            if (c instanceof SSLException) {
                return expired(c) ? FailureReason.TLS_EXPIRED : FailureReason.TLS_HANDSHAKE;
            }
            String lower = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            if ((c instanceof IllegalArgumentException || c instanceof io.netty.handler.codec.DecoderException)
                    && (lower.contains("version") || lower.contains("http") || lower.contains("status") || lower.contains("header"))) {
                return FailureReason.BAD_RESPONSE; // Netty's HTTP decoder met something that is not HTTP
            }
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            if (c instanceof IOException && m.contains("reset")) {
                return FailureReason.RESET;
            }
            if (m.contains("connection was closed") || m.contains("closed")) {
                return FailureReason.CLOSED;
            }
        }
        return FailureReason.ERROR;
    }

    /**
     * Linux errno values (negated, as Netty's native transport reports them) that say this host ran
     * short: EMFILE and ENFILE (no descriptor), EADDRNOTAVAIL (no ephemeral port), ENOBUFS, ENOMEM.
     */
    private static final Set<Integer> LOCAL_ERRNOS = Set.of(-24, -23, -99, -105, -12);

    /** The same conditions as the JDK's NIO transport words them (strerror). */
    private static final List<String> LOCAL_MESSAGES = List.of("too many open files", "cannot assign requested address",
            "no buffer space available", "cannot allocate memory");

    /** The probe failed because this host lacked something, whatever the target would have answered. */
    public static boolean local(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError) {
                return true;
            }
            if (c instanceof Errors.NativeIoException n && LOCAL_ERRNOS.contains(n.expectedErr())) {
                return true;
            }
            String m = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
            if (c instanceof IOException && LOCAL_MESSAGES.stream().anyMatch(m::contains)) {
                return true;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return false;
    }

    private static boolean expired(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.security.cert.CertificateExpiredException
                    || String.valueOf(c.getMessage()).contains("validity check failed")) {
                return true;
            }
        }
        return false;
    }

    /** A short message for operators: the root cause's message, without stack or class noise. */
    public static String message(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null || m.isBlank() ? root.getClass().getSimpleName() : m;
    }
}
