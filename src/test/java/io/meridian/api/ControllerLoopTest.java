package io.meridian.api;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The API's requests are served on a loop of their own; what the controller owns is read on its loop. */
class ControllerLoopTest {

    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close();
    }

    /** The loop made on a context of the controller's own (as the daemon's verticle makes it), and that context's thread. */
    private record Made(ControllerLoop loop, String controllerThread) {
    }

    private Made made() throws Exception {
        CompletableFuture<Made> made = new CompletableFuture<>();
        vertx.getOrCreateContext().runOnContext(v -> made.complete(new Made(ControllerLoop.here(vertx), Thread.currentThread().getName())));
        return made.get(5, TimeUnit.SECONDS);
    }

    @Test
    void callReadsOnTheControllersLoopAndAnswersOnTheApis() throws Exception {
        Made m = made();
        CompletableFuture<String[]> threads = new CompletableFuture<>();
        m.loop().api().runOnContext(v -> m.loop().call(() -> Thread.currentThread().getName())
                .onSuccess(readOn -> threads.complete(new String[] {readOn, Thread.currentThread().getName()})));
        String[] t = threads.get(5, TimeUnit.SECONDS);
        assertThat(t[0]).as("where the read ran").isEqualTo(m.controllerThread());
        assertThat(t[1]).as("where its value arrived").isNotEqualTo(m.controllerThread());
    }

    @Test
    void aReadThatThrowsFailsItsFuture() throws Exception {
        Made m = made();
        CompletableFuture<Throwable> failed = new CompletableFuture<>();
        m.loop().api().runOnContext(v -> m.loop().<String>call(() -> {
            throw new IllegalStateException("no such target");
        }).onFailure(failed::complete));
        assertThat(failed.get(5, TimeUnit.SECONDS)).hasMessage("no such target");
    }

    @Test
    void routesRunWhereTheySayAndAThrowIsA500() throws Exception {
        Made m = made();
        Router router = Router.router(vertx);
        router.get("/api").handler(ctx -> ctx.end(Thread.currentThread().getName()));
        router.get("/controller").handler(m.loop().on(ctx -> ctx.end(Thread.currentThread().getName())));
        router.get("/broken").handler(m.loop().on(ctx -> {
            throw new IllegalStateException("broken route");
        }));
        HttpServer server = m.loop().onApi(() -> vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + server.actualPort();
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(base + "/api")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> controller = http.send(HttpRequest.newBuilder(URI.create(base + "/controller")).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> broken = http.send(HttpRequest.newBuilder(URI.create(base + "/broken")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(controller.body()).isEqualTo(m.controllerThread());
        assertThat(api.body()).as("the request's own loop").isNotEqualTo(m.controllerThread()).startsWith("vert.x-eventloop-thread-");
        assertThat(broken.statusCode()).isEqualTo(500);
    }
}
