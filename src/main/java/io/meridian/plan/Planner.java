package io.meridian.plan;

import io.meridian.config.AutomationSettings;
import io.meridian.config.Durations;
import io.meridian.config.PolicyType;
import io.meridian.config.ServiceConfig;
import io.meridian.policy.AnswerSet;
import io.meridian.policy.DesiredAnswers;
import io.meridian.policy.LoadPlacement;
import io.meridian.policy.LoadShares;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Diffs desired answers against published ones and enforces the safety rules; this is the only
 * place they are enforced:
 * <ol>
 *   <li>never publish an empty answer (the last published one stays);</li>
 *   <li>failover services: at most {@code max-failovers} automatic failovers per window, a cooldown
 *       after each, and failback to a recovered region only after it has been up for {@code failback}
 *       ({@code manual}: never automatically); a region that returns to a load spread over several regions waits
 *       for the same hold;</li>
 *   <li>weighted services: a region's weight moves by at most {@code max-weight-step} per tick
 *       (a region out of service is removed at once) and a returning region waits for the failback hold;</li>
 *   <li>{@code min-regions-in-service}: automation never brings a service below that many regions;</li>
 *   <li>paused services: the plan is computed and shown, not applied.</li>
 * </ol>
 * Fail-open answers and first answers pass the rate limits: serving everything beats serving nothing.
 */
public final class Planner {

    private Planner() {
    }

    /** What one service's rules decided: an action, or why nothing moves. */
    private record Outcome(Optional<Action> action, List<String> held) {
        static Outcome act(Action a, List<String> held) {
            return new Outcome(Optional.of(a), held);
        }

        static Outcome hold(String why) {
            return new Outcome(Optional.empty(), List.of(why));
        }
    }

    public static Plan plan(List<DesiredAnswers> desired, PlanContext ctx, Instant now) {
        List<Action> actions = new ArrayList<>();
        List<Action> paused = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (DesiredAnswers d : desired) {
            ServiceConfig svc = ctx.services().get(d.service());
            Optional<DesiredAnswers> p = ctx.state(d.service()).published();
            if (d.isEmpty()) {
                held.add(refusedEmpty(d, p));
                continue;
            }
            if (p.isPresent() && d.sameAnswers(p.get())) {
                continue;
            }
            String pin = ctx.pinned().get(d.service());
            if (pin != null && d.primary().equals(pin) && !d.failOpen()) {
                // An operator's failover: checked when it was asked for, applied now, paused or not.
                actions.add(new Action(d.service(), Action.Kind.MANUAL, d, change(d.service(), p, d, d.reason())));
                continue;
            }
            Outcome o = p.isEmpty() || p.get().failOpen() || d.failOpen()
                    ? Outcome.act(new Action(d.service(), Action.Kind.PUBLISH, d, change(d.service(), p, d, d.reason())), List.of())
                    : svc.policy() == PolicyType.FAILOVER ? failoverRules(svc, d, p.get(), ctx, now) : setRules(svc, d, p.get(), ctx, now);
            held.addAll(o.held());
            o.action().ifPresent(a -> (ctx.paused().contains(d.service()) ? paused : actions).add(a));
        }
        return new Plan(actions, paused, held);
    }

    private static Outcome failoverRules(ServiceConfig svc, DesiredAnswers d, DesiredAnswers p, PlanContext ctx, Instant now) {
        String from = p.primary();
        String to = d.primary();
        String name = svc.name();
        if (from.equals(to)) {
            // A load spilled over several regions: one that returns waits for the failback hold, as under weighted.
            List<String> held = new ArrayList<>();
            DesiredAnswers target = d.sets().size() > 1 ? holdReturningRegions(svc, d, p, ctx, now, held) : d;
            if (target.sets().size() == 1 && target.sets().get(0).weight() != 1) {
                AnswerSet only = target.sets().get(0);
                target = target.withSets(List.of(new AnswerSet(only.label(), 1, only.addresses()))); // one set: its weight means nothing
            }
            return target.sameAnswers(p) ? new Outcome(Optional.empty(), held)
                    : Outcome.act(new Action(name, Action.Kind.PUBLISH, target, change(name, Optional.of(p), target, target.reason())), held);
        }
        if (ctx.drained(name, from)) {
            return Outcome.act(new Action(name, Action.Kind.DRAIN, d, change(name, Optional.of(p), d, d.reason())), List.of());
        }
        AutomationSettings limits = ctx.limits();
        ServiceState st = ctx.state(name);
        Optional<Instant> cooldown = st.cooldownUntil().filter(now::isBefore);
        if (ctx.failbackNow().contains(name) && ctx.inService(name, to)) {
            return Outcome.act(new Action(name, Action.Kind.MANUAL, d, change(name, Optional.of(p), d,
                    "an operator asked to fail back now; " + d.reason())), List.of());
        }
        if (ctx.inService(name, from)) {
            if (limits.failbackAfter().isEmpty()) {
                return Outcome.hold(name + ": failback from " + from + " to " + to + " is manual (automation.failback: manual); "
                        + from + " keeps serving");
            }
            Duration hold = limits.failbackAfter().get();
            Optional<Duration> upFor = ctx.upSince(to).map(t -> Duration.between(t, now));
            if (upFor.isPresent() && upFor.get().compareTo(hold) < 0) {
                return Outcome.hold(name + ": failback from " + from + " to " + to + " waits until " + to + " has been up for "
                        + Durations.format(hold) + " (up for " + Durations.format(upFor.get().withNanos(0)) + ")");
            }
            if (cooldown.isPresent()) {
                return Outcome.hold(name + ": failback from " + from + " to " + to + " waits for the cooldown until " + cooldown.get()
                        + " (acknowledge to end it early)");
            }
            String stable = upFor.map(u -> to + " has been up for " + Durations.format(u.withNanos(0)) + " (failback hold "
                    + Durations.format(hold) + "); ").orElse("");
            return Outcome.act(new Action(name, Action.Kind.FAILBACK, d, change(name, Optional.of(p), d, stable + d.reason())), List.of());
        }
        if (ctx.undecided().contains(from) || !ctx.configured(from)) {
            // Nothing failed: no result has come from it yet (a start), or a reload removed it. Not counted, not held by the limits.
            return Outcome.act(new Action(name, Action.Kind.PUBLISH, d, change(name, Optional.of(p), d,
                    from + (ctx.configured(from) ? " is not yet known, not down; " : " is no longer configured; ") + d.reason())), List.of());
        }
        Instant windowStart = now.minus(limits.failoverWindow());
        long recent = st.failovers().stream().filter(t -> t.isAfter(windowStart)).count();
        if (recent >= limits.maxFailovers()) {
            return Outcome.hold(name + ": automatic failover from " + from + " to " + to + " held: " + recent
                    + " automatic failover(s) in the last " + Durations.format(limits.failoverWindow()) + " (max "
                    + limits.maxFailovers() + "); fail over by hand if needed. Wanted because " + d.reason());
        }
        if (cooldown.isPresent()) {
            return Outcome.hold(name + ": automatic failover from " + from + " to " + to + " held: cooldown until " + cooldown.get()
                    + " after the previous failover (acknowledge to end it early). Wanted because " + d.reason());
        }
        return Outcome.act(new Action(name, Action.Kind.FAILOVER, d, change(name, Optional.of(p), d, d.reason())), List.of());
    }

    private static Outcome setRules(ServiceConfig svc, DesiredAnswers d, DesiredAnswers p, PlanContext ctx, Instant now) {
        String name = svc.name();
        List<String> held = new ArrayList<>();
        DesiredAnswers target = d;
        if (svc.policy() == PolicyType.WEIGHTED) {
            target = holdReturningRegions(svc, d, p, ctx, now, held);
        }
        int before = p.regionsInService().size();
        int after = target.regionsInService().size();
        if (after < svc.minRegionsInService() && after < before) {
            held.add(name + ": keeping " + p.describe() + ": the change would leave " + after + " region(s) in service and "
                    + "min-regions-in-service is " + svc.minRegionsInService() + " (only a forced operator action may go below). Wanted because " + d.reason());
            // An accepted drain still takes effect: the operator's intent was checked when it was given.
            return withoutDrained(name, p, d, ctx).map(kept -> Outcome.act(new Action(name, Action.Kind.DRAIN, kept,
                    change(name, Optional.of(p), kept, kept.reason())), held)).orElse(new Outcome(Optional.empty(), held));
        }
        if (svc.policy() == PolicyType.WEIGHTED) {
            target = stepWeights(target, p, ctx.limits().maxWeightStep());
        }
        if (target.sameAnswers(p)) {
            return new Outcome(Optional.empty(), held);
        }
        Set<String> remaining = target.regionsInService();
        Set<String> removed = p.regionsInService().stream().filter(r -> !remaining.contains(r)).collect(Collectors.toSet());
        Action.Kind kind = !removed.isEmpty() && removed.stream().allMatch(r -> ctx.drained(name, r)) ? Action.Kind.DRAIN : Action.Kind.PUBLISH;
        return Outcome.act(new Action(name, kind, target, change(name, Optional.of(p), target, target.reason())), held);
    }

    /** {@code p} without the regions drained for the service, if that removes any and leaves something. */
    private static Optional<DesiredAnswers> withoutDrained(String name, DesiredAnswers p, DesiredAnswers d, PlanContext ctx) {
        List<AnswerSet> sets = p.sets().stream().filter(s -> !ctx.drained(name, s.label())).toList();
        Map<String, List<AnswerSet>> byClient = new java.util.LinkedHashMap<>();
        p.byClient().forEach((client, l) -> {
            List<AnswerSet> kept = l.stream().filter(s -> !ctx.drained(name, s.label())).toList();
            if (!kept.isEmpty()) {
                byClient.put(client, kept);
            }
        });
        if (sets.size() == p.sets().size() && byClient.equals(p.byClient())) {
            return Optional.empty();
        }
        List<AnswerSet> base = sets.isEmpty() ? d.sets() : sets;
        return Optional.of(new DesiredAnswers(name, p.ttl(), base, byClient, false, "drained region(s) leave; the others "
                + "stay for min-regions-in-service although " + d.reason()));
    }

    /** Leaves out regions that return before the failback hold (unless that would leave nothing). */
    private static DesiredAnswers holdReturningRegions(ServiceConfig svc, DesiredAnswers d, DesiredAnswers p, PlanContext ctx,
                                                       Instant now, List<String> held) {
        Set<String> current = p.regionsInService();
        Optional<Duration> hold = ctx.limits().failbackAfter();
        List<AnswerSet> kept = new ArrayList<>();
        for (AnswerSet s : d.sets()) {
            if (current.contains(s.label())) {
                kept.add(s);
                continue;
            }
            Optional<Instant> since = ctx.upSince(s.label());
            if (since.isEmpty()) {
                kept.add(s); // never went down: nothing to prove
                continue;
            }
            Duration upFor = Duration.between(since.get(), now);
            if (hold.isEmpty()) {
                held.add(svc.name() + ": " + s.label() + " returns only by hand (automation.failback: manual)");
            } else if (upFor.compareTo(hold.get()) < 0) {
                held.add(svc.name() + ": " + s.label() + " returns once it has been up for " + Durations.format(hold.get())
                        + " (up for " + Durations.format(upFor.withNanos(0)) + ")");
            } else {
                kept.add(s);
            }
        }
        if (kept.isEmpty()) {
            held.clear();
            return d;
        }
        if (kept.size() == d.sets().size()) {
            return d;
        }
        if (!d.load().declared()) {
            return d.withSets(kept);
        }
        // The held regions' share goes to the others, as if they were still out of service.
        Set<String> keptLabels = kept.stream().map(AnswerSet::label).collect(Collectors.toSet());
        LoadShares load = d.load().without(d.sets().stream().map(AnswerSet::label).filter(l -> !keptLabels.contains(l)).collect(Collectors.toSet()));
        Map<String, Integer> weights = LoadPlacement.weights(load);
        List<AnswerSet> sets = kept.stream().filter(s -> weights.containsKey(s.label()))
                .map(s -> new AnswerSet(s.label(), weights.get(s.label()), s.addresses())).toList();
        return new DesiredAnswers(d.service(), d.ttl(), sets.isEmpty() ? kept : sets, d.byClient(), d.failOpen(),
                d.reason() + " (until the failback hold ends: " + load.describe() + ")", load);
    }

    /** Moves each region's weight toward the desired one by at most {@code step}; new regions start at {@code step}. */
    private static DesiredAnswers stepWeights(DesiredAnswers d, DesiredAnswers p, int step) {
        Map<String, Integer> was = p.sets().stream().collect(Collectors.toMap(AnswerSet::label, AnswerSet::weight, (a, b) -> a));
        List<AnswerSet> sets = new ArrayList<>();
        List<String> stepping = new ArrayList<>();
        for (AnswerSet s : d.sets()) {
            int from = was.getOrDefault(s.label(), 0);
            int w = Math.max(from - step, Math.min(from + step, s.weight()));
            if (w != s.weight()) {
                stepping.add(s.label() + " " + from + "->" + w + " of " + s.weight());
            }
            sets.add(new AnswerSet(s.label(), Math.max(w, s.weight() == 0 ? 0 : 1), s.addresses()));
        }
        if (stepping.isEmpty()) {
            return d;
        }
        return d.withSets(sets).because(d.reason() + " (weights stepping by at most " + step + ": " + String.join(", ", stepping) + ")");
    }

    private static String refusedEmpty(DesiredAnswers d, Optional<DesiredAnswers> current) {
        return d.service() + ": refused to publish an empty answer; keeping "
                + current.map(DesiredAnswers::brief).orElse("nothing") + " (" + d.reason() + ")";
    }

    private static String change(String service, Optional<DesiredAnswers> from, DesiredAnswers to, String because) {
        return service + ": " + from.map(DesiredAnswers::brief).orElse("(nothing)") + " -> " + to.brief() + " because " + because;
    }
}
