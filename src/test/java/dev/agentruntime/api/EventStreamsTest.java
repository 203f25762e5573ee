package dev.agentruntime.api;

import dev.agentruntime.run.AgentException;
import dev.agentruntime.run.ErrorKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 26, item 3: the bound on open event streams refuses one more, and a stream that ends frees its place once. */
class EventStreamsTest {

    @Test
    void oneStreamOverTheBoundIsRefusedAndAnEndedOneFreesItsPlaceOnce() {
        EventStreams streams = new EventStreams(new ApiConfig() {
            @Override
            public int maxListBytes() {
                return 1_048_576;
            }

            @Override
            public int maxEventStreams() {
                return 3;
            }
        });
        List<EventStreams.Permit> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(streams.admit());
        }
        assertThatThrownBy(streams::admit).isInstanceOfSatisfying(AgentException.class, refused -> {
            assertThat(refused.kind()).isEqualTo(ErrorKind.TOO_MANY_EVENT_STREAMS);
            assertThat(refused.retryAfter()).isPresent();
            assertThat(refused.getMessage()).contains("at most 3 event streams");
        });
        assertThat(streams.open()).isEqualTo(3);

        open.get(0).release();
        open.get(0).release();
        assertThat(streams.open()).isEqualTo(2);
        streams.admit();
        assertThatThrownBy(streams::admit).isInstanceOf(AgentException.class);
    }
}
