package dev.batchgate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FairSharesTest {

    @Test
    void should_split_the_slots_evenly_between_nodes_that_want_them_all() {
        assertThat(FairShares.of(8, List.of(8, 8), 0)).containsExactly(4, 4);
        assertThat(FairShares.of(7, List.of(8, 8, 8), 1)).containsExactly(2, 3, 2);
    }

    @Test
    void should_leave_what_a_node_does_not_want_to_the_others() {
        assertThat(FairShares.of(8, List.of(1, 8, 0), 0)).containsExactly(1, 7, 0);
        assertThat(FairShares.of(8, List.of(2, 3), 0)).containsExactly(2, 3);
    }

    @Test
    void should_give_the_slots_in_turn_from_the_first_node_when_there_are_fewer_than_the_nodes_that_want_one() {
        assertThat(FairShares.of(1, List.of(5, 5, 5), 0)).containsExactly(1, 0, 0);
        assertThat(FairShares.of(1, List.of(5, 5, 5), 2)).containsExactly(0, 0, 1);
        assertThat(FairShares.of(2, List.of(5, 0, 5), 1)).containsExactly(1, 0, 1);
    }
}
