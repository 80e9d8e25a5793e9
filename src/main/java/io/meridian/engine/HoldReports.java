package io.meridian.engine;

import io.meridian.plan.Plan;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Held and paused changes are reported once, and again only when what is held changes (counters aside). */
final class HoldReports {

    private final Map<String, String> lastHeld = new HashMap<>();

    void report(Plan plan, Collection<String> services, Instant now, List<Event> events) {
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
