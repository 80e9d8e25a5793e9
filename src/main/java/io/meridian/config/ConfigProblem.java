package io.meridian.config;

/**
 * One thing wrong with the configuration, pointing at the file, line and column where it is. The
 * message quotes values short: a quoted run over 60 characters is cut (saying how long it was),
 * control characters are escaped, and the whole message is at most 400 characters.
 */
public record ConfigProblem(String file, int line, int column, String message) implements Comparable<ConfigProblem> {

    private static final java.util.regex.Pattern LONG_QUOTE = java.util.regex.Pattern.compile("'([^']{60})([^']+)'");
    static final int MAX_MESSAGE = 400;

    public ConfigProblem {
        message = readable(message);
    }

    static String readable(String message) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            b.append(c < 0x20 || c == 0x7F ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        java.util.regex.Matcher m = LONG_QUOTE.matcher(b);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int length = m.group(1).length() + m.group(2).length();
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement("'" + m.group(1) + "... (" + length + " characters)'"));
        }
        m.appendTail(out);
        return out.length() <= MAX_MESSAGE ? out.toString() : out.substring(0, MAX_MESSAGE) + "...";
    }

    @Override
    public int compareTo(ConfigProblem o) {
        int c = file.compareTo(o.file);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(line, o.line);
        return c != 0 ? c : Integer.compare(column, o.column);
    }

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }
}
