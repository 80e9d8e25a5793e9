package io.meridian.coord.local;

import io.meridian.config.JournalSettings;
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
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The event journal and audit trail: one JSON object per line, each with a sequence number,
 * written and fsync'ed before the call returns, so nothing acknowledged is lost on a crash and the
 * file reads with {@code jq}. A line torn by a crash mid-write is cut off when the journal is
 * opened again (and said so). Past {@link JournalSettings#maxBytes} or {@link JournalSettings#maxAge}
 * (by the entries' own {@code time}) the file is rotated: compressed beside it ({@link JournalArchive}),
 * the oldest beyond {@link JournalSettings#keep} deleted; reads go on into the rotated files, newest
 * first, only as far as they need. The newest {@value #TAIL} entries are also kept in memory: a read
 * they answer (the dashboard's, a stream's resume, most pages) touches no file. Blocking: call it from
 * a worker, never an event loop.
 */
public final class Journal implements AutoCloseable {

    private final Path file;
    private final JournalSettings rotation;
    private final JournalArchive archive;
    private final FileChannel channel;
    private long seq;
    private long firstSeq;
    private Instant firstTime;
    private final String repair;

    /** Entries kept in memory, newest last (about 0.5 KiB each). */
    static final int TAIL = 4096;

    private final java.util.ArrayDeque<JsonObject> tail = new java.util.ArrayDeque<>();
    /** Whether {@link #tail} holds every entry there is (none older on disk). */
    private boolean tailComplete;

    public Journal(Path file) throws IOException {
        this(file, JournalSettings.defaults());
    }

    public Journal(Path file, JournalSettings rotation) throws IOException {
        this.file = file;
        this.rotation = rotation;
        this.archive = new JournalArchive(file);
        Files.createDirectories(file.toAbsolutePath().getParent());
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        String cut = cutTornTail();
        List<JournalArchive.Part> parts = archive.parts();
        long archived = parts.isEmpty() ? 0 : parts.get(parts.size() - 1).last();
        List<JsonObject> current = readAll();
        if (!current.isEmpty() && current.get(0).getLong("seq", 0L) <= archived) {
            // A crash between writing a rotated file and emptying the journal: those entries are archived.
            channel.truncate(0);
            channel.force(true);
            cut = (cut.isEmpty() ? "" : cut + "; ") + "emptied " + file + ": its entries were already rotated";
            current = List.of();
        }
        this.repair = cut;
        seq = archived;
        for (JsonObject e : current) {
            seq = Math.max(seq, e.getLong("seq", 0L));
        }
        if (!current.isEmpty()) {
            firstSeq = current.get(0).getLong("seq", 0L);
            firstTime = time(current.get(0));
        }
        current.subList(Math.max(0, current.size() - TAIL), current.size()).forEach(tail::addLast);
        tailComplete = parts.isEmpty() && current.size() <= TAIL;
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

    /** The sequence number of the last entry written (0: none yet). */
    public synchronized long lastSeq() {
        return seq;
    }

    /** Appends one entry, stamping the next sequence number; returns it once it is on disk. */
    public synchronized JsonObject append(JsonObject entry) {
        JsonObject e = entry.copy().put("seq", seq + 1);
        byte[] line = (e.encode() + "\n").getBytes(StandardCharsets.UTF_8);
        long start = -1;
        try {
            rotateIfDue(line.length, time(e));
            ByteBuffer b = ByteBuffer.wrap(line);
            start = channel.size();
            long pos = start;
            while (b.hasRemaining()) {
                pos += channel.write(b, pos);
            }
            channel.force(false);
        } catch (IOException ex) {
            if (start >= 0) {
                try {
                    channel.truncate(start); // no half line left behind (a full disk mid-write)
                } catch (IOException ignored) {
                    // the torn tail is cut when the journal is opened again
                }
            }
            throw new JournalUnwritableException(file, ex);
        }
        seq++;
        tail.addLast(e);
        if (tail.size() > TAIL) {
            tail.removeFirst();
            tailComplete = false;
        }
        if (firstSeq == 0) {
            firstSeq = seq;
            firstTime = time(e);
        }
        return e;
    }

    /** Rotates before an append that would take the file past its size, or when its first entry is too old. */
    private void rotateIfDue(int adding, Instant at) throws IOException {
        long size = channel.size();
        boolean tooBig = size > 0 && size + adding > rotation.maxBytes();
        boolean tooOld = firstTime != null && at != null && !at.isBefore(firstTime.plus(rotation.maxAge()));
        if (!tooBig && !tooOld) {
            return;
        }
        channel.force(true);
        archive.add(file, firstSeq, seq);
        channel.truncate(0);
        channel.force(true);
        firstSeq = 0;
        firstTime = null;
        archive.prune(rotation.keep());
        // What the pruning deleted is gone from memory too: a read answers the same before and after a restart.
        List<JournalArchive.Part> kept = archive.parts();
        long oldest = kept.isEmpty() ? seq + 1 : kept.get(0).first();
        while (!tail.isEmpty() && tail.peekFirst().getLong("seq", 0L) < oldest) {
            tail.removeFirst();
        }
    }

    /** An entry's own {@code time}, if it has a readable one. */
    private static Instant time(JsonObject e) {
        try {
            String t = e.getString("time");
            return t == null ? null : Instant.parse(t);
        } catch (DateTimeParseException | ClassCastException ex) {
            return null;
        }
    }

    /**
     * The newest {@code limit} entries that match, with a sequence number below {@code before}
     * (0: no bound), newest first.
     */
    public synchronized List<JsonObject> read(Predicate<JsonObject> filter, int limit, long before) {
        List<JsonObject> out = new ArrayList<>();
        newestFirst(new ArrayList<>(tail), filter, limit, before, out);
        if (out.size() >= limit || tailComplete) {
            return out;
        }
        // Older than the tail: from the file, then the rotated files.
        long oldestKept = tail.isEmpty() ? 0 : tail.peekFirst().getLong("seq", 0L);
        before = oldestKept == 0 ? before : before <= 0 ? oldestKept : Math.min(before, oldestKept);
        newestFirst(readAll(), filter, limit, before, out);
        if (out.size() >= limit) {
            return out;
        }
        try {
            List<JournalArchive.Part> parts = archive.parts();
            for (int i = parts.size() - 1; i >= 0 && out.size() < limit; i--) {
                if (before <= 0 || parts.get(i).first() < before) {
                    newestFirst(JournalArchive.read(parts.get(i)), filter, limit, before, out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("journal " + file + ": cannot read its rotated files: " + e.getMessage(), e);
        }
        return out;
    }

    /** Adds to {@code out} the entries of one file (oldest first in it) that match, newest first, up to {@code limit}. */
    private static void newestFirst(List<JsonObject> entries, Predicate<JsonObject> filter, int limit, long before, List<JsonObject> out) {
        for (int i = entries.size() - 1; i >= 0 && out.size() < limit; i--) {
            JsonObject e = entries.get(i);
            if ((before <= 0 || e.getLong("seq", 0L) < before) && filter.test(e)) {
                out.add(e);
            }
        }
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
