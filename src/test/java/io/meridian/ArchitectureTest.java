package io.meridian;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** House rules that the compiler cannot check, read off the sources. */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java/io/meridian");
    private static final Pattern FORBIDDEN_IN_PURE = Pattern.compile(
            "^import (static )?(io\\.vertx|io\\.netty|com\\.fasterxml|io\\.micrometer|org\\.xbill|software\\.amazon|io\\.etcd|org\\.slf4j)\\.",
            Pattern.MULTILINE);

    private static List<Path> sources(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
    }

    @Test
    void decisionStagesImportNoIoLibrary() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (String pkg : List.of("health", "policy", "plan", "engine")) {
            for (Path p : sources(MAIN.resolve(pkg))) {
                var m = FORBIDDEN_IN_PURE.matcher(Files.readString(p));
                while (m.find()) {
                    offenders.add(p + ": " + m.group());
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void onlyTheClockReadsTime() throws IOException {
        List<String> offenders = new ArrayList<>();
        for (Path p : sources(MAIN)) {
            if (p.startsWith(MAIN.resolve("clock"))) {
                continue;
            }
            String src = Files.readString(p);
            if (src.contains("System.nanoTime()") || src.contains("Instant.now()") || src.contains("System.currentTimeMillis()")) {
                offenders.add(p.toString());
            }
        }
        assertThat(offenders).isEmpty();
    }

    @Test
    void everyPackageSaysWhatLivesThere() throws IOException {
        List<String> missing = new ArrayList<>();
        try (Stream<Path> dirs = Files.walk(MAIN)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                boolean hasClasses;
                try (Stream<Path> files = Files.list(d)) {
                    hasClasses = files.anyMatch(f -> f.toString().endsWith(".java"));
                }
                if (hasClasses && !Files.exists(d.resolve("package-info.java"))) {
                    missing.add(d.toString());
                }
            }
        }
        assertThat(missing).isEmpty();
    }
}
