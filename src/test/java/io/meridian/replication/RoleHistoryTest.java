package io.meridian.replication;

import io.meridian.plan.RoleChange;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The journal, not the state before a change, says who the primary is. */
class RoleHistoryTest {

    private final List<JsonObject> log = new ArrayList<>();

    private void started(String id, String from, String to, long position) {
        log.add(new JsonObject().put("kind", RoleChangeRunner.CHANGE).put("phase", "started").put("change", id).put("subject", "orders")
                .put("type", "FAILOVER").put("from", from).put("to", to).put("actor", "automation").put("reason", "test")
                .put("steps", new JsonArray(RoleChange.failover(id, "orders", java.util.Optional.of(from), to, false, "a", "r")
                        .steps().stream().map(Enum::name).toList())).put("primary_position", position));
    }

    private void stepDone(String id, RoleChange.Step step) {
        log.add(new JsonObject().put("kind", RoleChangeRunner.STEP).put("phase", "done").put("change", id).put("step", step.name()));
    }

    private void finished(String id, String phase) {
        log.add(new JsonObject().put("kind", RoleChangeRunner.CHANGE).put("phase", phase).put("change", id).put("subject", "orders"));
    }

    private RoleHistory history() {
        List<JsonObject> newestFirst = new ArrayList<>(log);
        Collections.reverse(newestFirst);
        return RoleHistory.of(newestFirst);
    }

    @Test
    void aChangeKilledAfterPromoteWasJournaledDoneHasMadeItsTargetThePrimary() {
        started("rc-1", "east", "west", 4096);
        stepDone("rc-1", RoleChange.Step.WITHDRAW_WRITE_NAME);
        stepDone("rc-1", RoleChange.Step.FENCE_OLD_PRIMARY);
        stepDone("rc-1", RoleChange.Step.PROMOTE);
        RoleHistory h = history();
        assertThat(h.primary("orders")).contains("west");
        assertThat(h.interrupted("orders")).hasValueSatisfying(i -> {
            assertThat(i.change().id()).isEqualTo("rc-1");
            assertThat(i.done()).containsExactlyInAnyOrder(RoleChange.Step.WITHDRAW_WRITE_NAME, RoleChange.Step.FENCE_OLD_PRIMARY,
                    RoleChange.Step.PROMOTE);
            assertThat(i.primaryPosition()).isEqualTo(4096);
        });
    }

    @Test
    void beforePromoteTheOldPrimaryStaysThePrimary() {
        started("rc-1", "east", "west", -1);
        stepDone("rc-1", RoleChange.Step.WITHDRAW_WRITE_NAME);
        assertThat(history().primary("orders")).contains("east");
    }

    @Test
    void onlyTheNewestChangeCountsAndAFinishedOneIsNotResumed() {
        started("rc-1", "east", "west", -1);
        for (RoleChange.Step s : Set.of(RoleChange.Step.WITHDRAW_WRITE_NAME, RoleChange.Step.FENCE_OLD_PRIMARY, RoleChange.Step.PROMOTE,
                RoleChange.Step.REPOINT_REPLICAS, RoleChange.Step.PUBLISH_WRITE_NAME)) {
            stepDone("rc-1", s);
        }
        finished("rc-1", "done");
        started("rc-2", "west", "east", -1);
        finished("rc-2", "aborted"); // aborted at the fence: west still holds it
        RoleHistory h = history();
        assertThat(h.primary("orders")).contains("west");
        assertThat(h.interrupted("orders")).isEmpty();
    }
}
