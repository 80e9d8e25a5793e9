package io.meridian.bench;

import io.meridian.clock.Clock;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dashboards of {@link DashboardBench}, in a process of their own (as browsers are on other
 * machines: their garbage and their parsing of 1.3 MB answers are not the daemon's). Each behaves as the
 * page does: an open {@code /v1/events/stream}, {@code /v1/status} every 2 s, each region's
 * {@code /v1/history} every 10 s, spread over those periods. They open when a line arrives on stdin
 * (the process started and warmed up first, so its own start is not in the figures); after {@code connecting} seconds it forgets
 * the status times measured so far; {@code phase} seconds later it writes one line to {@code out}:
 * {@code bytes reads failed streams-open p50-ms p99-ms}, and exits.
 * Usage: {@code API TOKEN DASHBOARDS CONNECTING-S PHASE-S OUT REGION...}
 */
public final class DashboardClientsMain {

    private DashboardClientsMain() {
    }

    public static void main(String[] args) throws Exception {
        String api = args[0];
        String token = args[1];
        int dashboards = Integer.parseInt(args[2]);
        long connecting = Long.parseLong(args[3]);
        long phase = Long.parseLong(args[4]);
        Path out = Path.of(args[5]);
        List<String> regions = List.of(args).subList(6, args.length);
        Clock clock = Clock.system();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        ScheduledExecutorService pollers = Executors.newScheduledThreadPool(4);
        List<Long> statusMillis = Collections.synchronizedList(new ArrayList<>());
        AtomicLong errors = new AtomicLong();
        AtomicLong statusBytes = new AtomicLong();
        List<CompletableFuture<?>> streams = new ArrayList<>();
        // Its own start-up (class loading, the HTTP client's first request) before the dashboards open, not during.
        http.send(get(api + "/healthz", token), HttpResponse.BodyHandlers.discarding());
        System.out.println("listening: " + dashboards + " dashboards open on " + api + " at the line 'go' on stdin");
        new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
        for (int i = 0; i < dashboards; i++) {
            streams.add(http.sendAsync(get(api + "/v1/events/stream", token), HttpResponse.BodyHandlers.discarding()));
            long offset = i * 2000L / dashboards;
            pollers.scheduleAtFixedRate(() -> {
                long t0 = clock.monotonicNanos();
                http.sendAsync(get(api + "/v1/status", token), HttpResponse.BodyHandlers.ofByteArray()).whenComplete((r, err) -> {
                    if (err != null || r.statusCode() != 200) {
                        errors.incrementAndGet();
                    } else {
                        statusMillis.add((clock.monotonicNanos() - t0) / 1_000_000);
                        statusBytes.set(r.body().length);
                    }
                });
            }, offset, 2000, TimeUnit.MILLISECONDS);
            pollers.scheduleAtFixedRate(() -> regions.forEach(r -> http.sendAsync(get(api + "/v1/history?region=" + r + "&endpoints=none", token),
                    HttpResponse.BodyHandlers.discarding()).whenComplete((x, err) -> {
                        if (err != null || x.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    })), offset * 5, 10_000, TimeUnit.MILLISECONDS);
        }
        Thread.sleep(connecting * 1000);
        statusMillis.clear();
        Thread.sleep(phase * 1000);
        long[] sorted = DashboardBench.sorted(statusMillis);
        long open = streams.stream().filter(f -> !f.isDone()).count();
        Files.writeString(out, statusBytes.get() + " " + sorted.length + " " + errors.get() + " " + open + " "
                + DashboardBench.q(sorted, .5) + " " + DashboardBench.q(sorted, .99) + "\n");
        System.exit(0);
    }

    private static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build();
    }
}
