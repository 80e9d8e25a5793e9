package io.meridian.config;

/**
 * How many vantage points must agree before a target changes state: {@code majority} (of the
 * configured vantages), {@code any}, {@code all}, or a number.
 */
public record Quorum(Kind kind, int count) {

    public enum Kind { MAJORITY, ANY, ALL, COUNT }

    public static Quorum majority() {
        return new Quorum(Kind.MAJORITY, 0);
    }

    /** Votes needed out of {@code vantages} configured vantage points (never more than there are, never less than 1). */
    public int required(int vantages) {
        int n = switch (kind) {
            case MAJORITY -> vantages / 2 + 1;
            case ANY -> 1;
            case ALL -> vantages;
            case COUNT -> count;
        };
        return Math.max(1, Math.min(n, vantages));
    }

    @Override
    public String toString() {
        return kind == Kind.COUNT ? Integer.toString(count) : kind.name().toLowerCase(java.util.Locale.ROOT);
    }
}
