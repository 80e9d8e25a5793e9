package io.meridian.coord.local;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

/**
 * The event journal and audit trail: one JSON object per line, each with a sequence number,
 * written and fsync'ed before the call returns, so nothing acknowledged is lost on a crash and the
 * file reads with {@code jq}. A line torn by a crash mid-write is cut off when the journal is
 * opened again (and said so). Blocking: call it from a worker, never an event loop.
 */
public final class Journal implements AutoCloseable {

    private final Path file;
    private final FileChannel channel;
    private long seq;
    private final String repair;

    public Journal(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.repair = cutTornTail();
        for (JsonObject e : readAll()) {
            seq = Math.max(seq, e.getLong("seq", 0L));
        }
    }

    /** Empty, or what was cut off when the journal was opened. */
    public String repair() {
        return repair;
    }

    private String cutTornTail() throws IOException {
        long size = channel.size();
        if (size == 0) {
            return "";
        }
        long pos = size - 1;
        ByteBuffer one = ByteBuffer.allocate(1);
        while (pos >= 0) {
            one.clear();
            channel.read(one, pos);
            if (one.get(0) == '\n') {
                break;
            }
            pos--;
        }
        long keep = pos + 1;
        if (keep == size) {
            return "";
        }
        channel.truncate(keep);
        channel.force(true);
        return "cut " + (size - keep) + " bytes of a line torn by a crash off the end of " + file;
    }

    /** Appends one entry, stamping the next sequence number; returns it once it is on disk. */
    public synchronized JsonObject append(JsonObject entry) {
        JsonObject e = entry.copy().put("seq", ++seq);
        byte[] line = (e.encode() + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            ByteBuffer b = ByteBuffer.wrap(line);
            long pos = channel.size();
            while (b.hasRemaining()) {
                pos += channel.write(b, pos);
            }
            channel.force(false);
        } catch (IOException ex) {
            throw new UncheckedIOException("journal " + file + ": cannot append: " + ex.getMessage(), ex);
        }
        return e;
    }

    /**
     * The newest {@code limit} entries that match, with a sequence number below {@code before}
     * (0: no bound), newest first.
     */
    public synchronized List<JsonObject> read(Predicate<JsonObject> filter, int limit, long before) {
        Deque<JsonObject> last = new ArrayDeque<>();
        for (JsonObject e : readAll()) {
            if ((before <= 0 || e.getLong("seq", 0L) < before) && filter.test(e)) {
                last.addFirst(e);
                if (last.size() > limit) {
                    last.removeLast();
                }
            }
        }
        return new ArrayList<>(last);
    }

    private List<JsonObject> readAll() {
        List<JsonObject> all = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    all.add(new JsonObject(line));
                } catch (DecodeException ignored) {
                    // only a torn last line can be malformed, and that is cut off at open
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("journal " + file + ": cannot read: " + e.getMessage(), e);
        }
        return all;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
