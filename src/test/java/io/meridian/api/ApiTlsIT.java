package io.meridian.api;

import io.meridian.testing.ConfigDir;
import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import io.vertx.core.net.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/** With api.tls the API speaks HTTPS only. */
class ApiTlsIT {

    @TempDir
    Path dir;

    @Test
    void servesTheApiOverTlsWhenConfigured() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create("localhost");
        ConfigDir.base().with("meridian.yaml", """
                vantage: us-east
                api:
                  listen: 127.0.0.1:0
                  tokens: tokens.yaml
                  tls: {cert: "%s", key: "%s"}
                dns: {zone: example.test, listen: "127.0.0.1:0"}
                services:
                  - {name: app.example.test, policy: failover, regions: [us-east, eu-west]}
                """.formatted(cert.certificatePath(), cert.privateKeyPath())).writeTo(dir);
        try (RunningDaemon d = RunningDaemon.start(dir)) {
            SSLContext trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new TrustManager[] {new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] c, String a) { }
                public void checkServerTrusted(X509Certificate[] c, String a) { }
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            HttpClient https = HttpClient.newBuilder().sslContext(trustAll).build();
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create("https://localhost:" + d.daemon.apiPort() + "/v1/status"))
                    .header("Authorization", "Bearer " + TestTokens.VIEWER).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"zone\" : \"example.test\"");
        }
    }
}
