package io.meridian.engine;

import io.meridian.plan.Action;
import io.meridian.plan.Plan;
import io.meridian.policy.DesiredAnswers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Held and paused changes are reported once, and again only when what is held changes (counters aside);
 * so is load that has no home (the regions in service cannot carry a service's load), and its end.
 */
final class HoldReports {

    private final Map<String, String> lastHeld = new HashMap<>();
    private final Map<String, Long> lastUnplaced = new HashMap<>();

    void report(Plan plan, Collection<String> services, Instant now, List<Event> events) {
        for (Action a : plan.actions()) {
            DesiredAnswers d = a.answers(); // what will be served: a held change leaves the shortfall as it was
            long unplaced = Math.round(d.load().unplaced());
            Long was = lastUnplaced.put(d.service(), unplaced);
            if (unplaced != (was == null ? 0 : was)) {
                events.add(new Event(now, Event.Kind.CAPACITY, d.service(), d.service() + ": " + (unplaced > 0
                        ? d.load().describe() : "every part of its load has a home again (" + d.load().describe() + ")")));
            }
        }
        lastUnplaced.keySet().retainAll(services);
        Map<String, List<String>> byService = new LinkedHashMap<>();
        plan.held().forEach(h -> byService.computeIfAbsent(h.substring(0, h.indexOf(':')), k -> new ArrayList<>()).add(h));
        plan.paused().forEach(a -> byService.computeIfAbsent(a.service(), k -> new ArrayList<>()).add("PAUSED " + a.reason()));
        for (String s : services) {
            List<String> held = byService.getOrDefault(s, List.of());
            String key = String.join("\n", held).replaceAll("[0-9]", "");
            if (!key.equals(lastHeld.getOrDefault(s, ""))) {
                for (String h : held) {
                    boolean isPaused = h.startsWith("PAUSED ");
                    events.add(new Event(now, isPaused ? Event.Kind.PAUSED : Event.Kind.HELD, s,
                            isPaused ? "automation paused, not applied: " + h.substring(7) : h));
                }
            }
            lastHeld.put(s, key);
        }
    }
}
