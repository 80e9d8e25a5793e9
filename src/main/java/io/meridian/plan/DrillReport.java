package io.meridian.plan;

import io.meridian.config.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one run of a drill did and achieved: every step with its time, the RTO and RPO measured against
 * the objectives, the invariants checked and anything a safety rule held. Pure.
 *
 * @param outcome     {@code completed}, {@code aborted} (the starting state restored) or {@code failed} (not restored: see the steps)
 * @param rto         from the drain to the last answer (and write name) moved away, if they moved
 * @param rpo         acknowledged writes lost, as an age (zero for a switchover), if a database took part
 * @param invariants  each invariant checked while the drill ran, with whether it held
 */
public record DrillReport(String id, String drill, String region, String actor, String reason, Instant started, Instant ended,
                          String outcome, List<Step> steps, Optional<Duration> rto, Optional<Duration> rtoObjective,
                          Optional<Duration> rpo, Optional<Duration> rpoObjective, List<Invariant> invariants, List<String> held) {

    public DrillReport {
        steps = List.copyOf(steps);
        invariants = List.copyOf(invariants);
        held = List.copyOf(held);
    }

    /** @param ok false for a step that failed or was refused */
    public record Step(Instant at, String name, String detail, boolean ok) {
    }

    public record Invariant(String name, boolean held, String detail) {
    }

    /** Whether the RTO was met: empty when there is no objective or nothing was measured. */
    public Optional<Boolean> rtoMet() {
        return rto.flatMap(r -> rtoObjective.map(o -> r.compareTo(o) <= 0));
    }

    public Optional<Boolean> rpoMet() {
        return rpo.flatMap(r -> rpoObjective.map(o -> r.compareTo(o) <= 0));
    }

    /** The report for people: a Markdown page. */
    public String markdown() {
        StringBuilder b = new StringBuilder();
        b.append("# Drill ").append(drill).append(": evacuate ").append(region).append("\n\n");
        b.append("- Run: `").append(id).append("`, ").append(outcome.toUpperCase(java.util.Locale.ROOT)).append('\n');
        b.append("- Started ").append(started.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)).append(" by ").append(actor).append(" (").append(reason).append("), ended ")
                .append(ended.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)).append(" (").append(Durations.format(Duration.between(started, ended).withNanos(0))).append(")\n");
        b.append("- RTO: ").append(objective(rto, rtoObjective, rtoMet())).append('\n');
        b.append("- RPO: ").append(objective(rpo, rpoObjective, rpoMet())).append("\n\n");
        b.append("## Steps\n\n| at | + | step | detail |\n| --- | --- | --- | --- |\n");
        for (Step s : steps) {
            b.append("| ").append(s.at().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)).append(" | +").append(offset(s.at())).append(" | ").append(s.ok() ? "" : "**FAILED** ")
                    .append(s.name()).append(" | ").append(cell(s.detail())).append(" |\n");
        }
        b.append("\n## Invariants\n\n");
        invariants.forEach(i -> b.append("- ").append(i.held() ? "held: " : "**BROKEN**: ").append(i.name()).append(" (")
                .append(i.detail()).append(")\n"));
        if (!held.isEmpty()) {
            b.append("\n## Held by a safety rule\n\n");
            held.forEach(h -> b.append("- ").append(h).append('\n'));
        }
        return b.toString();
    }

    private String offset(Instant at) {
        long ms = Duration.between(started, at).toMillis();
        return String.format(java.util.Locale.ROOT, "%d.%03ds", ms / 1000, ms % 1000);
    }

    public static String objective(Optional<Duration> achieved, Optional<Duration> objective, Optional<Boolean> met) {
        return achieved.map(DrillReport::millis).orElse("not measured")
                + objective.map(o -> " against an objective of " + Durations.format(o) + met.map(m -> m ? ": met" : ": MISSED").orElse(""))
                .orElse(" (no objective)");
    }

    public static String millis(Duration d) {
        return d.toMillis() < 10_000 ? d.toMillis() + " ms" : Durations.format(d.withNanos(0));
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
