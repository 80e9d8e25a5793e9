package io.meridian.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a helper process of the benchmarks (backends, target farms) on this JVM's java and class
 * path, and waits for the line it prints once it listens, so a benchmark never starts against a
 * server that is not there yet.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * @param jvmOptions options such as {@code -Xmx64m}
     * @param main       a class with a main that prints "listening ..." when ready
     */
    public static Process start(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        return start(List.of(), jvmOptions, main, args);
    }

    /**
     * As {@link #start}, at the lowest scheduling priority ({@code nice -n 19}): for what stands for other
     * machines (targets, browsers), so that on this one it takes only the cores the daemon leaves.
     */
    public static Process startBelow(List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        return start(List.of("nice", "-n", "19"), jvmOptions, main, args);
    }

    private static Process start(List<String> prefix, List<String> jvmOptions, Class<?> main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(p.getInputStream())).readLine();
        if (line == null || !line.startsWith("listening")) {
            p.destroyForcibly();
            throw new IllegalStateException(main.getSimpleName() + " " + String.join(" ", args) + " did not start: " + line);
        }
        return p;
    }
}
