package io.meridian.coord.local;

import io.meridian.config.JournalSettings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The journal rotates by size and age, keeps a bounded number of compressed files, and reads across them. */
class JournalTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;

    private static JsonObject entry(int i, Instant at) {
        return new JsonObject().put("time", at.toString()).put("kind", i % 2 == 0 ? "PUBLISH" : "TARGET_STATE").put("message", "entry " + i);
    }

    private static List<Long> seqs(List<JsonObject> entries) {
        return entries.stream().map(e -> e.getLong("seq")).toList();
    }

    @Test
    void rotatesBySizeKeepsTheNewestFilesAndReadsAcrossThem() throws Exception {
        Path file = dir.resolve("meridian-journal.jsonl");
        try (Journal j = new Journal(file, new JournalSettings(600, Duration.ofDays(1), 3))) {
            for (int i = 1; i <= 60; i++) {
                j.append(entry(i, T0.plusSeconds(i)));
            }
            List<JournalArchive.Part> parts = new JournalArchive(file).parts();
            assertThat(parts).hasSize(3);
            assertThat(parts).allSatisfy(p -> assertThat(p.file().getFileName().toString()).endsWith(".jsonl.gz"));
            assertThat(Files.size(file)).isLessThanOrEqualTo(600);
            long oldest = parts.get(0).first();
            List<JsonObject> all = j.read(e -> true, 1000, 0);
            assertThat(seqs(all)).as("newest first, no gap, back to the oldest kept")
                    .isEqualTo(LongStream.iterate(60, s -> s >= oldest, s -> s - 1).boxed().toList());
            assertThat(seqs(j.read(e -> true, 5, oldest + 3))).as("paging back with before, into a rotated file")
                    .containsExactly(oldest + 2, oldest + 1, oldest);
            assertThat(seqs(j.read(e -> e.getString("kind").equals("PUBLISH"), 2, 0))).containsExactly(60L, 58L);
        }
        try (Journal again = new Journal(file, new JournalSettings(600, Duration.ofDays(1), 3))) {
            assertThat(again.append(entry(61, T0.plusSeconds(61))).getLong("seq")).as("numbering goes on after a restart").isEqualTo(61L);
        }
    }

    @Test
    void theNewestEntriesAreReadFromMemoryAndOlderOnesFromTheFile() throws Exception {
        Path file = dir.resolve("meridian-journal.jsonl");
        int n = Journal.TAIL + 50;
        try (Journal j = new Journal(file)) {
            for (int i = 1; i <= n; i++) {
                j.append(entry(i, T0.plusSeconds(i)));
            }
            long oldestInMemory = n - Journal.TAIL + 1;
            assertThat(seqs(j.read(e -> true, 10, oldestInMemory + 5))).as("across the edge of what is kept in memory")
                    .isEqualTo(LongStream.iterate(oldestInMemory + 4, s -> s > oldestInMemory - 6, s -> s - 1).boxed().toList());
            Files.move(file, dir.resolve("moved-away.jsonl"));
            assertThat(seqs(j.read(e -> true, 3, 0))).as("the newest need no file").containsExactly((long) n, n - 1L, n - 2L);
        }
    }

    @Test
    void rotatesByTheAgeOfTheFirstEntry() throws Exception {
        Path file = dir.resolve("meridian-journal.jsonl");
        try (Journal j = new Journal(file, new JournalSettings(1 << 20, Duration.ofHours(1), 10))) {
            j.append(entry(1, T0));
            j.append(entry(2, T0.plus(Duration.ofMinutes(59))));
            assertThat(new JournalArchive(file).parts()).isEmpty();
            j.append(entry(3, T0.plus(Duration.ofHours(1))));
            List<JournalArchive.Part> parts = new JournalArchive(file).parts();
            assertThat(parts).singleElement().satisfies(p -> {
                assertThat(p.first()).isEqualTo(1);
                assertThat(p.last()).isEqualTo(2);
            });
            assertThat(seqs(j.read(e -> true, 10, 0))).containsExactly(3L, 2L, 1L);
        }
    }

    @Test
    void aCrashAfterArchivingButBeforeEmptyingIsRepairedAtOpen() throws Exception {
        Path file = dir.resolve("meridian-journal.jsonl");
        try (Journal j = new Journal(file)) {
            for (int i = 1; i <= 3; i++) {
                j.append(entry(i, T0.plusSeconds(i)));
            }
        }
        new JournalArchive(file).add(file, 1, 3); // the rotated file was written, the journal not yet emptied
        try (Journal j = new Journal(file)) {
            assertThat(j.repair()).contains("its entries were already rotated");
            assertThat(seqs(j.read(e -> true, 10, 0))).as("each entry once").containsExactly(3L, 2L, 1L);
            assertThat(j.append(entry(4, T0.plusSeconds(4))).getLong("seq")).isEqualTo(4L);
        }
    }
}
