package io.meridian.daemon;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The last desired answers this daemon received, kept on disk ({@code meridian-answers.json} in the
 * state directory): a daemon that restarts while etcd is lost serves them instead of nothing. Written
 * atomically, at most once per {@link #DEBOUNCE_MS}, on a worker.
 */
final class AnswerSnapshot {

    private static final Logger log = LoggerFactory.getLogger(AnswerSnapshot.class);
    static final String FILE = "meridian-answers.json";
    static final long DEBOUNCE_MS = 200;

    private final Vertx vertx;
    private final Path file;
    private final Map<String, JsonObject> answers = new TreeMap<>();
    private long flushTimer = -1; // the debounced write, while one is due

    AnswerSnapshot(Vertx vertx, Path file) {
        this.vertx = vertx;
        this.file = file;
    }

    /** What was kept, by key ({@code desired/<name>}); empty when there is no file or it cannot be read (said so). */
    Future<Map<String, Optional<JsonObject>>> load() {
        return vertx.executeBlocking(() -> {
            Map<String, Optional<JsonObject>> out = new LinkedHashMap<>();
            if (!Files.exists(file)) {
                return out;
            }
            try {
                JsonObject j = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
                j.fieldNames().forEach(k -> {
                    answers.put(k, j.getJsonObject(k));
                    out.put(k, Optional.of(j.getJsonObject(k)));
                });
                log.info("SNAPSHOT serving the {} answer(s) kept in {} until the coordination store gives newer ones", out.size(), file);
            } catch (IOException | RuntimeException e) {
                log.warn("SNAPSHOT {} cannot be read ({}): starting from the fail-open answers", file, e.getMessage());
                out.clear();
            }
            return out;
        }, true);
    }

    void changed(String key, Optional<JsonObject> value) {
        if (value.isPresent()) {
            answers.put(key, value.get());
        } else {
            answers.remove(key);
        }
        if (flushTimer < 0) {
            flushTimer = vertx.setTimer(DEBOUNCE_MS, id -> {
                flushTimer = -1;
                flush();
            });
        }
    }

    /** Writes the answers now; a debounced write still due is not made again (nor after the daemon stopped). */
    Future<Void> flush() {
        if (flushTimer >= 0) {
            vertx.cancelTimer(flushTimer);
            flushTimer = -1;
        }
        JsonObject all = new JsonObject();
        answers.forEach(all::put);
        byte[] bytes = all.encode().getBytes(StandardCharsets.UTF_8);
        return vertx.<Void>executeBlocking(() -> {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, FILE, ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return null;
        }, true).onFailure(err -> log.warn("SNAPSHOT {} not written: {}", file, err.getMessage()));
    }
}
