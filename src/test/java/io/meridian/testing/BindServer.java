package io.meridian.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real BIND 9 {@code named} (Debian's bind9 package) on a free loopback port, serving one
 * dynamic zone that accepts updates signed with a fresh hmac-sha256 key. Stopped on close.
 */
public final class BindServer implements AutoCloseable {

    public static final String KEY_NAME = "meridian-test";

    private final Process process;
    private final int port;
    private final Path keyFile;
    private final String secret;

    private BindServer(Process process, int port, Path keyFile, String secret) {
        this.process = process;
        this.port = port;
        this.keyFile = keyFile;
        this.secret = secret;
    }

    /**
     * A port free for UDP and for TCP: named serves both, and with its TCP port taken (a free UDP port says
     * nothing of TCP) large updates, which go over TCP, were refused (seen once in CI).
     */
    private static int freeUdpAndTcpPort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                 java.net.ServerSocket t = new java.net.ServerSocket(s.getLocalPort(), 1, InetAddress.getLoopbackAddress())) {
                return t.getLocalPort();
            } catch (java.net.BindException taken) {
                // its TCP twin is in use: another
            }
        }
        throw new IOException("no port free for both UDP and TCP on 127.0.0.1 after 50 tries");
    }

    /** @param records extra zone-file lines, e.g. {@code "manual A 10.9.9.9"} */
    public static BindServer start(Path dir, String zone, String... records) throws Exception {
        int port = freeUdpAndTcpPort();
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String secret = Base64.getEncoder().encodeToString(raw);
        Path key = dir.resolve("meridian.key");
        Files.writeString(key, "key \"" + KEY_NAME + "\" {\n\talgorithm hmac-sha256;\n\tsecret \"" + secret + "\";\n};\n");
        StringBuilder zoneFile = new StringBuilder("$TTL 300\n@ IN SOA ns1." + zone + ". hostmaster." + zone + ". 1 3600 600 86400 30\n"
                + "@ IN NS ns1." + zone + ".\nns1 IN A 127.0.0.1\n");
        for (String r : records) {
            zoneFile.append(r).append('\n');
        }
        Files.writeString(dir.resolve("db.zone"), zoneFile);
        Files.writeString(dir.resolve("named.conf"), """
                include "%s";
                options {
                    directory "%s";
                    pid-file "%s/named.pid";
                    session-keyfile "%s/session.key";
                    listen-on port %d { 127.0.0.1; };
                    listen-on-v6 { none; };
                    recursion no;
                    dnssec-validation no;
                };
                zone "%s" {
                    type primary;
                    file "db.zone";
                    allow-update { key "%s"; };
                };
                """.formatted(key, dir, dir, dir, port, zone, KEY_NAME));
        Process p = new ProcessBuilder("named", "-g", "-c", dir.resolve("named.conf").toString()).redirectErrorStream(true).start();
        CompletableFuture<Boolean> running = new CompletableFuture<>();
        StringBuilder log = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (log) {
                        log.append(line).append('\n');
                    }
                    if (line.contains("running")) {
                        running.complete(true);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            running.complete(false);
        }, "named-log");
        reader.setDaemon(true);
        reader.start();
        boolean ok = running.get(30, TimeUnit.SECONDS);
        if (!ok || !p.isAlive()) {
            p.destroyForcibly();
            synchronized (log) {
                throw new IllegalStateException("named did not start:\n" + log);
            }
        }
        awaitAnswers(port, zone);
        return new BindServer(p, port, key, secret);
    }

    /** "running" in the log is not always "answering": ask for the SOA until it comes. */
    private static void awaitAnswers(int port, String zone) throws Exception {
        org.xbill.DNS.SimpleResolver r = new org.xbill.DNS.SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(port);
        r.setTimeout(java.time.Duration.ofMillis(200));
        org.xbill.DNS.Message q = org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                org.xbill.DNS.Name.fromString(zone + "."), org.xbill.DNS.Type.SOA, org.xbill.DNS.DClass.IN));
        for (int i = 0; i < 100; i++) {
            try {
                if (r.send(q).getRcode() == org.xbill.DNS.Rcode.NOERROR) {
                    return;
                }
            } catch (IOException notYet) {
                // named is still binding its sockets
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("named on port " + port + " does not answer for " + zone);
    }

    public int port() {
        return port;
    }

    public Path keyFile() {
        return keyFile;
    }

    public String secret() {
        return secret;
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
