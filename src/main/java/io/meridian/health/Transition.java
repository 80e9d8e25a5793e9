package io.meridian.health;

/** A decision about a target's state: either nothing changes, or it moves with a reason an operator can read. */
public record Transition(TargetState from, TargetState to, String reason) {

    private static final Transition NONE = new Transition(null, null, "");

    public static Transition none() {
        return NONE;
    }

    public static Transition of(TargetState from, TargetState to, String reason) {
        if (from == to) {
            throw new IllegalArgumentException("a transition must change the state (both were " + from + ")");
        }
        return new Transition(from, to, reason);
    }

    public boolean changed() {
        return this != NONE;
    }
}
