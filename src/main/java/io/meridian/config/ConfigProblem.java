package io.meridian.config;

/** One thing wrong with the configuration, pointing at the file, line and column where it is. */
public record ConfigProblem(String file, int line, int column, String message) implements Comparable<ConfigProblem> {

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
