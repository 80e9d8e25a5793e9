package io.meridian.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every {@code meridian ...} command in the runbooks parses with the real CLI, so runbooks cannot rot. */
class RunbookCommandsTest {

    private static final Pattern COMMAND = Pattern.compile("(?:^\\s*\\$\\s+|`)(meridian\\s[^`\\n>|]*)");

    static List<String> commands() throws IOException {
        List<String> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of("runbooks"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                for (String line : Files.readAllLines(f)) {
                    Matcher m = COMMAND.matcher(line);
                    while (m.find()) {
                        all.add(f.getFileName() + ": " + m.group(1).trim());
                    }
                }
            }
        }
        return all;
    }

    /** Splits like a shell for what runbooks use: words and double-quoted strings. */
    static String[] words(String command) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(command);
        while (m.find()) {
            out.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return out.subList(1, out.size()).toArray(String[]::new);
    }

    @Test
    void everyRunbookCommandParses() throws IOException {
        List<String> commands = commands();
        assertThat(commands).as("runbooks hold commands").hasSizeGreaterThan(20);
        List<String> broken = new ArrayList<>();
        for (String c : commands) {
            String command = c.substring(c.indexOf(": ") + 2);
            try {
                Main.commandLine().parseArgs(words(command));
            } catch (CommandLine.ParameterException e) {
                broken.add(c + " -> " + e.getMessage());
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void everyTopicTheIssueNamesHasARunbook() {
        for (String f : List.of("regional-outage", "failback", "planned-drain", "dr-drill", "automation-misbehaving",
                "dns-provider-outage", "db-promotion-refused")) {
            assertThat(Path.of("runbooks", f + ".md")).exists();
        }
    }
}
