package io.meridian.engine;

import java.time.Instant;
import java.util.Optional;

/** Operator requests for scripts and the simulator: made as an operator named "operator", the reason the command. */
public final class ScriptedIntents {

    private ScriptedIntents() {
    }

    /** Drain, everywhere or for one service. */
    public static Event drain(Engine engine, String region, Optional<String> service, Instant now) {
        return event(engine.submit(new Request(new Intent.Drain(region, service, Optional.empty()), "operator", "drain", false), now, false), region, now);
    }

    public static Event undrain(Engine engine, String region, Optional<String> service, Instant now) {
        return event(engine.submit(new Request(new Intent.Undrain(region, service), "operator", "undrain", false), now, false), region, now);
    }

    public static Event pause(Engine engine, Optional<String> service, Instant now) {
        return event(engine.submit(new Request(new Intent.Pause(service, Optional.empty()), "operator", "pause", false), now, false),
                service.orElse(ManualOverride.ALL), now);
    }

    public static Event resume(Engine engine, Optional<String> service, Instant now) {
        return event(engine.submit(new Request(new Intent.Resume(service), "operator", "resume", false), now, false),
                service.orElse(ManualOverride.ALL), now);
    }

    public static Event acknowledge(Engine engine, String service, Instant now) {
        return event(engine.submit(new Request(new Intent.Acknowledge(service), "operator", "ack", false), now, false), service, now);
    }

    private static Event event(Outcome o, String subject, Instant now) {
        return new Event(now, o.accepted() ? Event.Kind.OPERATOR : Event.Kind.HELD, subject, o.message());
    }
}
