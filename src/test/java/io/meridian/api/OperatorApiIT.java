package io.meridian.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meridian.coord.local.StateFiles;
import io.meridian.testing.RunningDaemon;
import io.meridian.testing.TestTokens;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operator API against a running daemon: every route, every role, every validation error, dry runs, restarts, the journal. */
class OperatorApiIT {

    private static final String APP = "app.example.test";

    @TempDir
    Path dir;

    private RunningDaemon d;

    @BeforeEach
    void start() throws Exception {
        d = RunningDaemon.start(dir);
        await().atMost(Duration.ofSeconds(10)).until(() -> d.answer(APP, false).equals(List.of("127.0.1.1", "127.0.1.2")));
        // Drains are checked against the regions left in service: wait until both are known up.
        await().atMost(Duration.ofSeconds(10)).until(() -> d.engineRegionUp("eu-west") && d.engineRegionUp("us-east"));
    }

    @AfterEach
    void stop() throws Exception {
        d.close();
    }

    private int status(String method, String path, String token, String body) throws Exception {
        return d.call(method, path, token, body).statusCode();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "GET, /v1/status", "GET, /v1/regions", "GET, /v1/regions/us-east", "GET, /v1/services/app.example.test",
            "GET, /v1/plan", "GET, /v1/overrides", "GET, /v1/events"})
    void readsNeedAViewerToken(String method, String path) throws Exception {
        assertThat(status(method, path, null, null)).isEqualTo(401);
        assertThat(status(method, path, "not-a-token", null)).isEqualTo(401);
        assertThat(status(method, path, TestTokens.VIEWER, null)).isEqualTo(200);
        assertThat(status(method, path, TestTokens.ADMIN, null)).isEqualTo(200);
        var head = d.call("HEAD", path, TestTokens.VIEWER, null);
        assertThat(head.statusCode()).as("HEAD is a read too").isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(status("HEAD", path, null, null)).isEqualTo(401);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "/v1/regions/us-east/drain | {\"reason\": \"r\", \"dry_run\": true}",
            "/v1/regions/us-east/undrain | {\"reason\": \"r\", \"dry_run\": true}",
            "/v1/failover | {\"reason\": \"r\", \"dry_run\": true, \"service\": \"app.example.test\", \"to\": \"eu-west\"}",
            "/v1/failback | {\"reason\": \"r\", \"dry_run\": true, \"service\": \"app.example.test\"}",
            "/v1/pause | {\"reason\": \"r\", \"dry_run\": true}",
            "/v1/resume | {\"reason\": \"r\", \"dry_run\": true}",
            "/v1/ack | {\"reason\": \"r\", \"dry_run\": true, \"service\": \"app.example.test\"}"})
    void changesNeedAnOperatorTokenAndForceNeedsAdmin(String path, String body) throws Exception {
        assertThat(status("POST", path, null, body)).isEqualTo(401);
        assertThat(status("POST", path, TestTokens.VIEWER, body)).isEqualTo(403);
        assertThat(status("POST", path, TestTokens.OPERATOR, body)).isEqualTo(200);
        String forced = body.replace("\"reason\"", "\"force\": true, \"reason\"");
        assertThat(status("POST", path, TestTokens.OPERATOR, forced)).isEqualTo(403);
        assertThat(status("POST", path, TestTokens.ADMIN, forced)).isEqualTo(200);
    }

    @Test
    void healthEndpointsArePublic() throws Exception {
        for (String path : List.of("/healthz", "/readyz", "/metrics", "/openapi.yaml", "/v1/regions/us-east/health")) {
            assertThat(status("GET", path, null, null)).as(path).isIn(200, 503);
        }
    }

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', value = {
            "/v1/regions/us-east/drain | {} | reason",
            "/v1/regions/us-east/drain | {\"reason\": \"\"} | reason",
            "/v1/regions/us-east/drain | {\"reason\": \"x\", \"colour\": 1} | colour",
            "/v1/regions/us-east/drain | {\"reason\": \"x\", \"dry_run\": \"yes\"} | dry_run",
            "/v1/regions/us-east/drain | {\"reason\": \"x\", \"expires_in\": \"soon\"} | expires_in",
            "/v1/regions/us-east/drain | [1, 2] | body",
            "/v1/regions/us-east/drain | not json | body",
            "/v1/failover | {\"reason\": \"x\", \"to\": \"eu-west\"} | service",
            "/v1/failover | {\"reason\": \"x\", \"service\": \"app.example.test\"} | to",
            "/v1/ack | {\"reason\": \"x\"} | service"})
    void badBodiesAreRefusedNamingTheField(String path, String body, String field) throws Exception {
        var r = d.call("POST", path, TestTokens.OPERATOR, body);
        assertThat(r.statusCode()).isEqualTo(400);
        JsonObject error = new JsonObject(r.body()).getJsonObject("error");
        assertThat(error.getString("code")).isEqualTo("invalid_field");
        assertThat(error.getString("field")).isEqualTo(field);
        assertThat(error.getString("message")).startsWith(field + ": ").doesNotContain("java.", "LinkedHashMap", "deserialize");
        if (field.equals("body")) {
            assertThat(error.getString("message")).contains("must be a JSON object with a \"reason\"")
                    .containsAnyOf("it was an array", "it is not valid JSON (line 1, column");
        }
    }

    @Test
    void unknownRegionsAndServicesAre404() throws Exception {
        assertThat(status("POST", "/v1/regions/mars/drain", TestTokens.OPERATOR, "{\"reason\": \"x\"}")).isEqualTo(404);
        assertThat(status("POST", "/v1/failover", TestTokens.OPERATOR,
                "{\"reason\": \"x\", \"service\": \"nope.example.test\", \"to\": \"eu-west\"}")).isEqualTo(404);
        assertThat(status("GET", "/v1/services/nope.example.test", TestTokens.VIEWER, null)).isEqualTo(404);
        assertThat(status("GET", "/v1/regions/mars", TestTokens.VIEWER, null)).isEqualTo(404);
    }

    @Test
    void aDryRunShowsTheExactPlanThatIsThenApplied() throws Exception {
        String body = "{\"reason\": \"maintenance\", \"dry_run\": true}";
        JsonObject dry = d.json("POST", "/v1/regions/us-east/drain", TestTokens.OPERATOR, body);
        assertThat(dry.getBoolean("accepted")).isTrue();
        assertThat(dry.getBoolean("dry_run")).isTrue();
        assertThat(d.answer(APP, false)).as("a dry run changes nothing").containsExactly("127.0.1.1", "127.0.1.2");
        JsonObject real = d.json("POST", "/v1/regions/us-east/drain", TestTokens.OPERATOR, body.replace("true", "false"));
        assertThat(real.getJsonObject("plan")).isEqualTo(dry.getJsonObject("plan"));
        assertThat(real.getJsonObject("plan").getJsonArray("actions").getJsonObject(0).getString("kind")).isEqualTo("DRAIN");
        await().atMost(Duration.ofSeconds(3)).until(() -> d.answer(APP, true).equals(List.of("127.0.2.1", "127.0.2.2")));
        assertThat(status("GET", "/v1/regions/us-east/health", null, null)).isEqualTo(503);
    }

    @Test
    void aManualFailoverMovesTheAnswerAndAFailbackBringsItBack() throws Exception {
        // Every endpoint up first: one coming up during the test would be one more MANUAL answer change.
        await().atMost(Duration.ofSeconds(5)).until(() -> d.json("GET", "/v1/regions/eu-west", TestTokens.VIEWER, null)
                .getString("reason").contains("2/2 endpoints up") && d.answer(APP, false).equals(List.of("127.0.1.1", "127.0.1.2")));
        JsonObject r = d.json("POST", "/v1/failover", TestTokens.OPERATOR,
                "{\"reason\": \"DR drill\", \"service\": \"app.example.test\", \"to\": \"eu-west\"}");
        assertThat(r.getBoolean("accepted")).isTrue();
        assertThat(r.getJsonObject("plan").getJsonArray("actions").getJsonObject(0).getString("kind")).isEqualTo("MANUAL");
        await().atMost(Duration.ofSeconds(3)).until(() -> d.answer(APP, false).equals(List.of("127.0.2.1", "127.0.2.2")));
        assertThat(d.json("GET", "/v1/services/app.example.test", TestTokens.VIEWER, null).getString("pinned_to")).isEqualTo("eu-west");
        d.json("POST", "/v1/failback", TestTokens.OPERATOR, "{\"reason\": \"drill over\", \"service\": \"app.example.test\"}");
        await().atMost(Duration.ofSeconds(3)).until(() -> d.answer(APP, false).equals(List.of("127.0.1.1", "127.0.1.2")));
        assertThat(journal()).filteredOn(e -> "MANUAL".equals(e.getString("kind"))).hasSize(2);
    }

    @Test
    void aSafetyRuleRefusesWith409AndChangesNothing() throws Exception {
        assertThat(d.call("POST", "/demo/regions/eu-west/fail", null, null).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> !d.engineRegionUp("eu-west"));
        var r = d.call("POST", "/v1/failover", TestTokens.OPERATOR,
                "{\"reason\": \"drill\", \"service\": \"app.example.test\", \"to\": \"eu-west\"}");
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(new JsonObject(r.body()).getString("message")).contains("eu-west is down");
        assertThat(d.answer(APP, false)).containsExactly("127.0.1.1", "127.0.1.2");
        JsonObject forced = d.json("POST", "/v1/failover", TestTokens.ADMIN,
                "{\"reason\": \"drill\", \"force\": true, \"service\": \"app.example.test\", \"to\": \"us-east\"}");
        assertThat(forced.getString("message")).endsWith("(forced)");
    }

    @Test
    void overridesSurviveARestartAndShowWhoWhenWhy() throws Exception {
        d.json("POST", "/v1/regions/us-east/drain", TestTokens.OPERATOR, "{\"reason\": \"kernel upgrade\", \"expires_in\": \"2h\"}");
        d.json("POST", "/v1/pause", TestTokens.OPERATOR, "{\"reason\": \"investigating\", \"service\": \"app.example.test\"}");
        d.close();
        d = RunningDaemon.start(dir);
        JsonArray overrides = d.json("GET", "/v1/status", TestTokens.VIEWER, null).getJsonArray("overrides");
        assertThat(overrides).hasSize(2);
        JsonObject drain = overrides.getJsonObject(0);
        assertThat(drain.getString("kind")).isEqualTo("DRAIN");
        assertThat(drain.getString("actor")).isEqualTo("otto");
        assertThat(drain.getString("reason")).isEqualTo("kernel upgrade");
        assertThat(drain.getString("expires_at")).isNotNull();
        assertThat(overrides.getJsonObject(1).getString("kind")).isEqualTo("PAUSE");
        JsonObject app = d.json("GET", "/v1/services/app.example.test", TestTokens.VIEWER, null);
        assertThat(app.getJsonArray("drained")).containsExactly("us-east");
        assertThat(app.getBoolean("paused")).isTrue();
    }

    @Test
    void everyChangeIsAuditedOnDiskAsCompleteJsonLines() throws Exception {
        d.json("POST", "/v1/regions/us-east/drain", TestTokens.OPERATOR, "{\"reason\": \"maintenance\"}");
        d.json("POST", "/v1/failover", TestTokens.OPERATOR, "{\"reason\": \"drill\", \"service\": \"app.example.test\", \"to\": \"us-east\"}");
        List<JsonObject> lines = journal();
        assertThat(lines).isNotEmpty().allSatisfy(e -> assertThat(e.fieldNames()).contains("seq", "time", "kind", "actor", "subject"));
        List<JsonObject> audit = lines.stream().filter(e -> "OPERATOR".equals(e.getString("kind")) && e.containsKey("action")).toList();
        assertThat(audit).extracting(e -> e.getString("action") + " " + e.getString("outcome"))
                .containsExactly("drain accepted", "failover refused");
        assertThat(audit.get(0).fieldNames()).contains("actor", "action", "subject", "reason", "forced", "outcome", "message", "before", "plan");
        assertThat(audit.get(0).getString("actor")).isEqualTo("otto");
        assertThat(lines).anySatisfy(e -> assertThat(e.getString("actor")).isEqualTo("automation"));
        String raw = Files.readString(dir.resolve(StateFiles.JOURNAL));
        assertThat(raw).doesNotContain(TestTokens.OPERATOR).doesNotContain(TestTokens.VIEWER);
    }

    @Test
    void aLineTornByAKillMidWriteIsCutOffAndTheJournalStaysParseable() throws Exception {
        d.json("POST", "/v1/pause", TestTokens.OPERATOR, "{\"reason\": \"before the crash\"}");
        d.close();
        Files.writeString(dir.resolve(StateFiles.JOURNAL), "{\"seq\": 9999, \"kind\": \"OPER", StandardOpenOption.APPEND);
        d = RunningDaemon.start(dir);
        d.json("POST", "/v1/resume", TestTokens.OPERATOR, "{\"reason\": \"after the crash\"}");
        List<String> raw = Files.readAllLines(dir.resolve(StateFiles.JOURNAL));
        assertThat(raw).allSatisfy(line -> new JsonObject(line));
        assertThat(journal()).extracting(e -> e.getString("reason")).contains("before the crash", "after the crash");
    }

    @Test
    void eventsArePagedAndFiltered() throws Exception {
        for (int i = 0; i < 3; i++) {
            d.json("POST", "/v1/pause", TestTokens.OPERATOR, "{\"reason\": \"p" + i + "\", \"service\": \"app.example.test\"}");
        }
        JsonObject page = d.json("GET", "/v1/events?kind=OPERATOR&service=app.example.test&limit=2", TestTokens.VIEWER, null);
        JsonArray events = page.getJsonArray("events");
        assertThat(events).hasSize(2);
        assertThat(events.getJsonObject(0).getString("reason")).isEqualTo("p2");
        long before = page.getLong("next_before");
        JsonArray next = d.json("GET", "/v1/events?kind=OPERATOR&service=app.example.test&limit=2&before=" + before,
                TestTokens.VIEWER, null).getJsonArray("events");
        assertThat(next.getJsonObject(0).getString("reason")).isEqualTo("p0");
        assertThat(status("GET", "/v1/events?limit=0", TestTokens.VIEWER, null)).isEqualTo(400);
    }

    @Test
    void theEventStreamDeliversNewEntries() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        CompletableFuture<HttpResponse<java.util.stream.Stream<String>>> stream = client.sendAsync(
                HttpRequest.newBuilder(URI.create(d.apiUrl() + "/v1/events/stream?kind=OPERATOR"))
                        .header("Authorization", "Bearer " + TestTokens.VIEWER).build(),
                HttpResponse.BodyHandlers.ofLines());
        HttpResponse<java.util.stream.Stream<String>> response = stream.get(5, TimeUnit.SECONDS);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        Iterator<String> lines = response.body().iterator();
        lines.next();
        d.json("POST", "/v1/pause", TestTokens.OPERATOR, "{\"reason\": \"streamed\"}");
        List<String> got = new ArrayList<>();
        CompletableFuture.runAsync(() -> {
            while (lines.hasNext() && got.stream().noneMatch(l -> l.contains("streamed"))) {
                got.add(lines.next());
            }
        }).get(5, TimeUnit.SECONDS);
        assertThat(got).anySatisfy(l -> assertThat(l).startsWith("data: ").contains("\"reason\":\"streamed\""));
        response.body().close();
    }

    @Test
    void aStreamResumedWithLastEventIdMissesNothingAndRepeatsNothing() throws Exception {
        d.json("POST", "/v1/pause", TestTokens.OPERATOR, "{\"reason\": \"before the cut\"}");
        long last = d.json("GET", "/v1/events?kind=OPERATOR&limit=1", TestTokens.VIEWER, null).getJsonArray("events")
                .getJsonObject(0).getLong("seq");
        // While the client is away: two more changes.
        d.json("POST", "/v1/resume", TestTokens.OPERATOR, "{\"reason\": \"missed one\"}");
        d.json("POST", "/v1/pause", TestTokens.OPERATOR, "{\"reason\": \"missed two\"}");
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<java.util.stream.Stream<String>> response = client.sendAsync(
                HttpRequest.newBuilder(URI.create(d.apiUrl() + "/v1/events/stream?kind=OPERATOR"))
                        .header("Authorization", "Bearer " + TestTokens.VIEWER).header("Last-Event-ID", Long.toString(last)).build(),
                HttpResponse.BodyHandlers.ofLines()).get(5, TimeUnit.SECONDS);
        Iterator<String> lines = response.body().iterator();
        List<String> data = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        CompletableFuture<Void> reading = CompletableFuture.runAsync(() -> {
            while (lines.hasNext() && data.stream().noneMatch(l -> l.contains("live after"))) {
                String l = lines.next();
                if (l.startsWith("data: ")) {
                    data.add(l);
                } else if (l.startsWith("id: ")) {
                    ids.add(Long.parseLong(l.substring(4)));
                }
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> data.size() >= 2);
        d.json("POST", "/v1/resume", TestTokens.OPERATOR, "{\"reason\": \"live after\"}");
        reading.get(5, TimeUnit.SECONDS);
        response.body().close();
        assertThat(data).hasSize(3);
        assertThat(data.get(0)).contains("missed one");
        assertThat(data.get(1)).contains("missed two");
        assertThat(data.get(2)).contains("live after");
        assertThat(ids).isSorted().doesNotHaveDuplicates().allMatch(id -> id > last);
        HttpResponse<String> bad = client.send(HttpRequest.newBuilder(URI.create(d.apiUrl() + "/v1/events/stream"))
                .header("Authorization", "Bearer " + TestTokens.VIEWER).header("Last-Event-ID", "yesterday").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("Last-Event-ID");
    }

    @Test
    void everyRouteIsInTheOpenApiDocumentAndEveryDocumentedRouteExists() throws Exception {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree(
                d.call("GET", "/openapi.yaml", null, null).body().getBytes(StandardCharsets.UTF_8));
        TreeSet<String> documented = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            p.getValue().fieldNames().forEachRemaining(m -> documented.add(m.toUpperCase() + " " + p.getKey()));
        }
        TreeSet<String> served = new TreeSet<>();
        for (Route r : d.daemon.api().router().getRoutes()) {
            if (r.getPath() == null || r.getPath().endsWith("/") || r.methods() == null || r.getPath().startsWith("/demo/")) {
                continue;
            }
            for (HttpMethod m : r.methods()) {
                served.add(m.name() + " " + r.getPath().replaceAll(":(\\w+)", "{$1}"));
            }
        }
        assertThat(served).isEqualTo(documented);
        assertThat(Files.readString(Path.of("src/main/resources/openapi.yaml")))
                .as("the document served is the one kept in the repository")
                .isEqualTo(d.call("GET", "/openapi.yaml", null, null).body());
    }

    private List<JsonObject> journal() throws Exception {
        return Files.readAllLines(dir.resolve(StateFiles.JOURNAL)).stream().map(JsonObject::new).toList();
    }
}
