package io.meridian.daemon;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Entries reach the listeners in sequence order, however their appends finish. */
class JournalFeedTest {

    private static JsonObject entry(long seq) {
        return new JsonObject().put("seq", seq);
    }

    @Test
    void anEntryThatOvertookAnEarlierOneWaitsForIt() {
        JournalFeed feed = new JournalFeed(10);
        List<Long> seen = new ArrayList<>();
        feed.listen(e -> seen.add(e.getLong("seq")));
        feed.written(entry(12));
        feed.written(entry(13));
        assertThat(seen).isEmpty();
        feed.written(entry(11));
        assertThat(seen).containsExactly(11L, 12L, 13L);
        feed.written(entry(14));
        assertThat(seen).containsExactly(11L, 12L, 13L, 14L);
    }

    @Test
    void aGapThatIsNeverFilledIsGivenUpOnAndNothingIsLost() {
        JournalFeed feed = new JournalFeed(0);
        List<Long> seen = new ArrayList<>();
        Runnable stop = feed.listen(e -> seen.add(e.getLong("seq")));
        for (long s = 2; s <= JournalFeed.MAX_HELD + 2; s++) {
            feed.written(entry(s));
        }
        assertThat(seen).as("held behind the gap until too many, then all of them, in order")
                .isEqualTo(java.util.stream.LongStream.rangeClosed(2, JournalFeed.MAX_HELD + 2).boxed().toList());
        feed.written(entry(JournalFeed.MAX_HELD + 3));
        assertThat(seen).last().isEqualTo((long) JournalFeed.MAX_HELD + 3);
        stop.run();
        feed.written(entry(1_000));
        assertThat(seen).doesNotContain(1_000L);
    }
}
