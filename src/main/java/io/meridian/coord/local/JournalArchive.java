package io.meridian.coord.local;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The journal's rotated files beside it: {@code <name>.<first seq>-<last seq>.jsonl.gz}, numbers padded
 * so that the names sort in journal order. Written whole under a temporary name, then moved into place,
 * so a crash leaves either the whole file or none.
 */
final class JournalArchive {

    /** One rotated file and the sequence numbers it holds. */
    record Part(Path file, long first, long last) {
    }

    private final Path dir;
    private final String name;
    private final Pattern pattern;

    JournalArchive(Path journal) {
        this.dir = journal.toAbsolutePath().getParent();
        String file = journal.getFileName().toString();
        this.name = file.endsWith(".jsonl") ? file.substring(0, file.length() - ".jsonl".length()) : file;
        this.pattern = Pattern.compile(Pattern.quote(name) + "\\.(\\d{20})-(\\d{20})\\.jsonl\\.gz");
    }

    /** The rotated files, oldest first. */
    List<Part> parts() throws IOException {
        List<Part> parts = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                Matcher m = pattern.matcher(f.getFileName().toString());
                if (m.matches()) {
                    parts.add(new Part(f, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
                }
            }
        }
        return parts;
    }

    /** Compresses {@code current}'s bytes (entries {@code first}..{@code last}) into a new part. */
    void add(Path current, long first, long last) throws IOException {
        Path part = dir.resolve(String.format("%s.%020d-%020d.jsonl.gz", name, first, last));
        Path tmp = dir.resolve(part.getFileName() + ".part");
        try (InputStream in = Files.newInputStream(current); OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
            in.transferTo(out);
        }
        Files.move(tmp, part, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Deletes the oldest parts beyond {@code keep}. */
    void prune(int keep) throws IOException {
        List<Part> parts = parts();
        for (int i = 0; i < parts.size() - keep; i++) {
            Files.deleteIfExists(parts.get(i).file());
        }
    }

    static List<JsonObject> read(Part part) throws IOException {
        List<JsonObject> all = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(part.file())),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    try {
                        all.add(new JsonObject(line));
                    } catch (DecodeException ignored) {
                        // a part is written whole from a journal whose torn tail was cut: nothing to skip here
                    }
                }
            }
        }
        return all;
    }
}
