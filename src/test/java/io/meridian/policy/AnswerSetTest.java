package io.meridian.policy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerSetTest {

    @Test
    void aBriefShowsEightAddressesAndCountsTheRestWhileTheFullFormKeepsThemAll() {
        List<String> many = IntStream.rangeClosed(1, 10).mapToObj(i -> "127.0.0." + i).toList();
        AnswerSet set = new AnswerSet("us-east", 50, many);
        assertThat(set.brief()).isEqualTo("us-east(w50)[127.0.0.1, 127.0.0.2, 127.0.0.3, 127.0.0.4, 127.0.0.5, 127.0.0.6, "
                + "127.0.0.7, 127.0.0.8] and 2 more");
        assertThat(set.toString()).contains("127.0.0.10");
        assertThat(new AnswerSet("eu-west", 1, many.subList(0, 8)).brief()).isEqualTo(new AnswerSet("eu-west", 1, many.subList(0, 8)).toString());
    }
}
