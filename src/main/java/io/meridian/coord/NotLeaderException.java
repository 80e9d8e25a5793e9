package io.meridian.coord;

import java.util.Optional;

/** A change asked of a daemon that does not lead: it belongs to the leader (the API forwards it there). */
public final class NotLeaderException extends RuntimeException {

    private final Optional<Leadership.Leader> leader;

    public NotLeaderException(String self, Optional<Leadership.Leader> leader) {
        super(self + " does not lead: " + leader.map(l -> l.name() + " does, under " + l.term().describe()).orElse("no daemon leads now"));
        this.leader = leader;
    }

    public Optional<Leadership.Leader> leader() {
        return leader;
    }
}
