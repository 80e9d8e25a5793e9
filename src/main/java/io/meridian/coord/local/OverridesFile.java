package io.meridian.coord.local;

import io.meridian.coord.StateJson;
import io.meridian.engine.ManualOverride;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

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
        JsonObject json;
        try {
            json = new JsonObject(Files.readString(file, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new IOException(file + ": not valid JSON: " + e.getMessage() + " (fix or remove it; it holds operator overrides)", e);
        }
        try {
            return StateJson.overrides(json);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public void save(List<ManualOverride> overrides) throws IOException {
        byte[] bytes = StateJson.overrides(overrides).encodePrettily().getBytes(StandardCharsets.UTF_8);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(java.nio.ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            if (tmp != null) {
                Files.deleteIfExists(tmp); // a full disk keeps no half-written copy
            }
            throw new IOException("the overrides file " + file + " cannot be written: " + e.getMessage(), e);
        }
    }

    public Path file() {
        return file;
    }
}
