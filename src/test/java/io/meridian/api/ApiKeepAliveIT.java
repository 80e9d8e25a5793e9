package io.meridian.api;

import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request answered before its end was read (a static file of the dashboard) is not taken for a slow
 * body: the event stream that follows on the same keep-alive connection outlives {@code request-timeout}.
 * (Seen in headless Chromium: the page's stream was cut 10 s after the page loaded, on the connection
 * that had served {@code /ui/}.)
 */
class ApiKeepAliveIT {

    @TempDir
    Path dir;
    private RunningDaemon d;

    @BeforeEach
    void start() throws Exception {
        RunningDaemon.writeConfig(dir);
        Path yaml = dir.resolve("meridian.yaml");
        Files.writeString(yaml, Files.readString(yaml).replace("  tokens: tokens.yaml\n", "  tokens: tokens.yaml\n  limits: {request-timeout: 300ms}\n"));
        d = RunningDaemon.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        d.close();
    }

    @Test
    void aStreamAfterAStaticFileOnTheSameConnectionIsNotCut() throws Exception {
        try (Socket s = new Socket("127.0.0.1", d.daemon.apiPort())) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write("GET /ui/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200");
            int length = Integer.parseInt(head.lines().filter(l -> l.toLowerCase().startsWith("content-length:")).findFirst().orElseThrow()
                    .substring(15).trim());
            assertThat(in.readNBytes(length)).hasSize(length);
            out.write(("GET /v1/events/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestTokens.VIEWER + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(readHead(in)).startsWith("HTTP/1.1 200");
            long until = System.nanoTime() + 1_500_000_000L; // five request-timeouts
            s.setSoTimeout(100);
            while (System.nanoTime() < until) {
                try {
                    assertThat(in.read()).as("the stream is still open").isNotEqualTo(-1);
                } catch (SocketTimeoutException quiet) {
                    // nothing to read: still open
                }
            }
        }
        assertThat(d.call("GET", "/metrics", null, null).body()).contains("meridian_api_connections_closed_total{reason=\"slow\"} 0.0");
    }

    private static String readHead(InputStream in) throws Exception {
        StringBuilder b = new StringBuilder();
        while (!b.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IllegalStateException("closed after " + b);
            }
            b.append((char) c);
        }
        return b.toString();
    }
}
