package io.meridian.coord.local;

import io.meridian.engine.ManualOverride;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The operator overrides that must survive a restart (drains, pauses, manual failovers), as JSON
 * next to the configuration. Written atomically: a temporary file, fsync'ed, renamed over the old
 * one. A file that cannot be read is an error that names it: losing an operator's drain silently
 * would be worse than not starting. Blocking: call it from a worker.
 */
public final class OverridesFile {

    private final Path file;

    public OverridesFile(Path file) {
        this.file = file;
    }

    public List<ManualOverride> load() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        JsonArray items;
        try {
            items = new JsonObject(Files.readString(file, StandardCharsets.UTF_8)).getJsonArray("overrides", new JsonArray());
        } catch (RuntimeException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage() + " (fix or remove it; it holds operator overrides)", e);
        }
        List<ManualOverride> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            try {
                JsonObject o = items.getJsonObject(i);
                out.add(new ManualOverride(ManualOverride.Kind.valueOf(o.getString("kind")), o.getString("region", ""),
                        o.getString("service"), o.getString("actor"), o.getString("reason"), Instant.parse(o.getString("at")),
                        Optional.ofNullable(o.getString("expires_at")).map(Instant::parse), o.getBoolean("forced", false)));
            } catch (RuntimeException e) {
                throw new IOException(file + ": overrides[" + i + "] is not a valid override: " + e.getMessage(), e);
            }
        }
        return out;
    }

    public void save(List<ManualOverride> overrides) throws IOException {
        JsonArray items = new JsonArray();
        overrides.forEach(o -> items.add(json(o)));
        byte[] bytes = new JsonObject().put("overrides", items).encodePrettily().getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(bytes));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static JsonObject json(ManualOverride o) {
        return new JsonObject()
                .put("kind", o.kind().name())
                .put("region", o.region())
                .put("service", o.service())
                .put("actor", o.actor())
                .put("reason", o.reason())
                .put("at", o.at().toString())
                .put("expires_at", o.expiresAt().map(Instant::toString).orElse(null))
                .put("forced", o.forced());
    }

    public Path file() {
        return file;
    }
}
