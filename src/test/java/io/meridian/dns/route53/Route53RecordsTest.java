package io.meridian.dns.route53;

import io.meridian.config.Route53Config;
import io.meridian.dns.DnsChange;
import io.meridian.dns.RecordSet;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecord;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Route53RecordsTest {

    private final Route53Records records = new Route53Records("meridian-", Route53Config.Style.WEIGHTED);

    private static DnsChange app(RecordSet... sets) {
        return new DnsChange("app.example.test", Duration.ofSeconds(30), List.of(sets));
    }

    private static ResourceRecordSet rrs(String id, long weight, String... values) {
        return ResourceRecordSet.builder().name("app.example.test.").type(RRType.A).setIdentifier(id).weight(weight).ttl(30L)
                .resourceRecords(java.util.Arrays.stream(values).map(v -> ResourceRecord.builder().value(v).build()).toList()).build();
    }

    @Test
    void nothingToSendWhenTheZoneAlreadyHoldsTheAnswer() {
        DnsChange c = app(new RecordSet("us-east", 10, List.of("127.0.1.2", "127.0.1.1")));
        assertThat(records.diff("app.example.test.", List.of(rrs("meridian-us-east", 10, "127.0.1.1", "127.0.1.2")), records.desired(c))).isEmpty();
    }

    @Test
    void aRegionLeavingTheAnswerIsDeletedExactlyAsItStands() {
        ResourceRecordSet old = rrs("meridian-us-east", 10, "127.0.1.1");
        List<Change> changes = records.diff("app.example.test.", List.of(old), records.desired(app(new RecordSet("eu-west", 10, List.of("127.0.2.1")))));
        assertThat(changes).extracting(Change::action).containsExactly(ChangeAction.DELETE, ChangeAction.UPSERT);
        assertThat(changes.get(0).resourceRecordSet()).isEqualTo(old);
    }

    @Test
    void recordSetsOfOthersAreRefusedByName() {
        assertThatThrownBy(() -> records.diff("app.example.test.", List.of(rrs("blue", 1, "10.0.0.1")),
                records.desired(app(new RecordSet("us-east", 1, List.of("127.0.1.1"))))))
                .hasMessageContaining("app.example.test. A (SetIdentifier 'blue') is not Meridian's");
    }

    @Test
    void batchesStayUnderAThousandRecordsWithoutSplittingAName() {
        List<List<Change>> perName = new ArrayList<>();
        IntStream.range(0, 400).forEach(i -> perName.add(List.of(
                Change.builder().action(ChangeAction.DELETE).resourceRecordSet(rrs("meridian-a", 1, "127.0.0.1")).build(),
                Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(rrs("meridian-b", 1, "127.0.0.2")).build())));
        List<List<Change>> batches = Route53Records.batches(perName);
        assertThat(batches).allSatisfy(b -> assertThat(b.stream().mapToInt(Route53Records::cost).sum()).isLessThanOrEqualTo(1000));
        assertThat(batches).allSatisfy(b -> assertThat(b.size() % 2).as("a name's DELETE and UPSERT travel together").isZero());
        assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(800);
        assertThat(batches).as("400 names cost 1,200: 333 names, then 67").hasSize(2);
    }

    @Test
    void aNameTooLargeForOneRequestIsRefused() {
        String[] values = IntStream.range(0, 501).mapToObj(i -> "10.0." + i / 256 + "." + i % 256).toArray(String[]::new);
        Change huge = Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(rrs("meridian-a", 1, values)).build();
        assertThatThrownBy(() -> Route53Records.batches(List.of(List.of(huge)))).hasMessageContaining("cost 1002 records");
    }
}
