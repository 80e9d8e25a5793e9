package io.meridian.sim;

import io.meridian.config.DatabaseClusterConfig;
import io.meridian.config.DatabaseMember;
import io.meridian.config.DrillConfig;
import io.meridian.config.Durations;
import io.meridian.config.MeridianConfig;
import io.meridian.config.ServiceConfig;
import io.meridian.engine.Event;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A drill rehearsed in the simulator: every target up, the drill's drains at {@value #START_S} s (past
 * the start-up wait), its undrains after the hold; what the decision engine would publish and when.
 * Nothing is published and no database is touched: the switchovers it would ask for are listed from the
 * configuration (which member moves to which), the choice among replicas is made live.
 */
public final class DrillPractice {

    static final int START_S = 10;
    private static final Instant EPOCH = Instant.parse("2030-01-01T00:00:00Z");

    private DrillPractice() {
    }

    /** @param timeline the decisions, offset from the drill's start; {@code expected} says when every answer moved and came back */
    public record Result(List<String> timeline, List<String> expected) {
    }

    public static Result run(MeridianConfig config, DrillConfig drill) {
        Duration start = Duration.ofSeconds(START_S);
        Duration back = start.plus(drill.hold());
        List<Scenario.OperatorStep> steps = new ArrayList<>();
        List<String> services = drill.servicesIn(config).stream().map(ServiceConfig::name).toList();
        if (drill.services().isEmpty()) {
            steps.add(new Scenario.OperatorStep(start, "drain " + drill.evacuate()));
            steps.add(new Scenario.OperatorStep(back, "undrain " + drill.evacuate()));
        } else {
            services.forEach(s -> steps.add(new Scenario.OperatorStep(start, "drain " + drill.evacuate() + " " + s)));
            services.forEach(s -> steps.add(new Scenario.OperatorStep(back, "undrain " + drill.evacuate() + " " + s)));
        }
        Scenario scenario = new Scenario("practice of drill " + drill.name(), back.plusSeconds(20), List.of(), steps, List.of());
        Simulator.Result r = Simulator.run(config, scenario, 1);
        Instant t0 = EPOCH.plus(start);
        List<String> timeline = new ArrayList<>();
        for (Event e : r.events()) {
            if (!e.at().isBefore(t0) && e.kind() != Event.Kind.TARGET_STATE && e.kind() != Event.Kind.REGION_STATE) {
                timeline.add(String.format("%10s  %-10s %s", offset(t0, e.at()), e.kind(), e.message()));
            }
        }
        List<String> expected = new ArrayList<>();
        Optional<Instant> left = last(r.events(), services, t0, EPOCH.plus(back));
        expected.add(left.map(t -> "every answer of " + services + " leaves " + drill.evacuate() + " " + offset(t0, t) + " after the drain")
                .orElse("NOT every answer of " + services + " leaves " + drill.evacuate() + " (see the timeline)"));
        Optional<Instant> returned = r.events().stream().filter(e -> !e.at().isBefore(EPOCH.plus(back)) && services.contains(e.subject())
                && e.kind() != Event.Kind.OPERATOR).map(Event::at).max(Instant::compareTo);
        expected.add(returned.map(t -> "traffic returns to " + drill.evacuate() + " " + offset(EPOCH.plus(back), t) + " after the undrain"
                + " (the failback hold applies to automatic failback, not to an undrain)").orElse("no answer changes after the undrain"));
        drill.clustersIn(config).forEach(c -> expected.add(switchover(config, drill, c)));
        expected.add("resolvers follow within each service's TTL");
        return new Result(timeline, expected);
    }

    /** What the drill would do with cluster {@code c}: which members it would move from and to (chosen live, not simulated). */
    private static String switchover(MeridianConfig config, DrillConfig drill, String c) {
        List<DatabaseMember> members = config.members(c);
        List<String> in = members.stream().filter(m -> m.region().equals(drill.evacuate())).map(DatabaseMember::id).toList();
        List<String> order = config.database(c).map(DatabaseClusterConfig::candidates).filter(l -> !l.isEmpty())
                .orElseGet(() -> members.stream().map(DatabaseMember::region).distinct().toList());
        List<String> to = order.stream().filter(r -> !r.equals(drill.evacuate()))
                .flatMap(r -> members.stream().filter(m -> m.region().equals(r)).map(DatabaseMember::id)).toList();
        if (in.isEmpty()) {
            return c + ": no member in " + drill.evacuate() + ", nothing to move";
        }
        return c + ": a primary among " + in + " is switched over to " + (to.isEmpty() ? "NOTHING (no member outside "
                + drill.evacuate() + ": it stays)" : "the first reachable replica of " + to + " (candidate order, then least lag; promoted"
                + " once it has replayed everything), and back after the hold where the old primary allows it; chosen on the live cluster,"
                + " not simulated");
    }

    /** When the last of {@code services} first changed its answer in [from, until), if every one did. */
    private static Optional<Instant> last(List<Event> events, List<String> services, Instant from, Instant until) {
        List<Instant> times = new ArrayList<>();
        for (String s : services) {
            Optional<Instant> t = events.stream().filter(e -> e.subject().equals(s) && e.kind() != Event.Kind.OPERATOR && !e.at().isBefore(from)
                    && e.at().isBefore(until)).map(Event::at).findFirst();
            if (t.isEmpty()) {
                return Optional.empty();
            }
            times.add(t.get());
        }
        return times.stream().max(Instant::compareTo);
    }

    private static String offset(Instant from, Instant t) {
        long ms = Duration.between(from, t).toMillis();
        return (ms < 0 ? "-" : "+") + Durations.format(Duration.ofMillis(Math.abs(ms)));
    }
}
