package io.meridian.ops;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What `mvn package` builds for installing: the systemd unit passes {@code systemd-analyze verify}, the
 * Debian package installs with {@code dpkg -i} and its launcher validates the example configuration,
 * the Dockerfile copies only paths that exist (images cannot be built here), and {@code --version}
 * names the build.
 */
class PackagingIT {

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", cmd)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ":\n" + out).isZero();
        return out;
    }

    @Test
    void theUnitPassesSystemdAnalyzeVerify() throws Exception {
        // verify wants the unit's programs to exist: point them at the files the package installs there.
        Path dir = Files.createTempDirectory("meridian-unit");
        String unit = Files.readString(Path.of("ops/systemd/meridian.service"))
                .replace("/usr/bin/meridian", Path.of("ops/deb/meridian").toAbsolutePath().toString())
                .replace("/usr/lib/meridian/wait-ready", Path.of("ops/systemd/wait-ready").toAbsolutePath().toString());
        Files.writeString(dir.resolve("meridian.service"), unit);
        String out = run(List.of("systemd-analyze", "verify", dir.resolve("meridian.service").toString()));
        assertThat(out).doesNotContain("meridian.service:");
    }

    @Test
    void thePackageInstallsAndValidatesItsExample() throws Exception {
        Path deb;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            deb = files.filter(f -> f.getFileName().toString().matches("meridian_.*_all\\.deb")).findFirst().orElseThrow();
        }
        String contents = run(List.of("dpkg-deb", "-c", deb.toString()));
        assertThat(contents).contains("./usr/share/meridian/meridian.jar", "./usr/bin/meridian", "./lib/systemd/system/meridian.service",
                "./etc/meridian/meridian.yaml", "./usr/share/bash-completion/completions/meridian");
        run(List.of("dpkg", "-i", deb.toString()));
        try {
            assertThat(run(List.of("/usr/bin/meridian", "validate", "--config-dir", "/etc/meridian"))).startsWith("ok: 3 service(s)");
            assertThat(Files.readString(Path.of("/etc/meridian/meridian.yaml"))).contains("state-dir: /var/lib/meridian");
            assertThat(run(List.of("getent", "passwd", "meridian"))).contains("/var/lib/meridian");
            assertThat(run(List.of("/usr/bin/meridian", "--version"))).matches("(?s)meridian \\d+\\.\\d+\\.\\d+\\S* \\(commit [0-9a-f]{12}.*");
        } finally {
            run(List.of("dpkg", "--purge", "meridian"));
        }
    }

    @Test
    void theDockerfileCopiesOnlyWhatExists() throws Exception {
        List<String> missing = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
            String[] w = line.trim().split("\\s+");
            if (w.length < 3 || !w[0].equals("COPY")) {
                continue;
            }
            boolean fromBuild = w[1].equals("--from=build");
            for (int i = fromBuild ? 2 : 1; i < w.length - 1; i++) {
                // The build stage works in /src, a copy of this checkout: its outputs are this build's.
                Path p = fromBuild ? Path.of(w[i].replaceFirst("^/src/", "")) : Path.of(w[i]);
                if (!Files.exists(p)) {
                    missing.add(line.trim() + ": " + p);
                }
            }
        }
        assertThat(missing).isEmpty();
        assertThat(Files.readString(Path.of("Dockerfile"))).contains("USER meridian", "HEALTHCHECK", "/readyz");
    }
}
