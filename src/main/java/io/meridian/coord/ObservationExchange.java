package io.meridian.coord;

import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * This vantage's view out, the other vantages' views in. A report is re-asserted at a fixed period
 * (so the receiver sees the vantage alive) and written at once when a target's state changes.
 */
public interface ObservationExchange {

    /** Where this vantage's current view is read from, each time a report is written. */
    void source(Supplier<VantageReport> report);

    /** A target's state changed in this vantage's view: write a report soon (writes are coalesced). */
    void changed();

    /**
     * Called on the daemon's event loop with another vantage's report each time it arrives, and with
     * empty when that vantage's lease expired (it no longer votes).
     */
    void onReport(BiConsumer<String, Optional<VantageReport>> listener);
}
