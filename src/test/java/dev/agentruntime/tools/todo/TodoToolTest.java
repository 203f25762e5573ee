package dev.agentruntime.tools.todo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.run.Run;
import dev.agentruntime.run.ToolException;
import dev.agentruntime.tools.todo.MemoryTodoRepository;
import dev.agentruntime.testing.MutableClock;
import dev.agentruntime.testing.TestJson;
import dev.agentruntime.tools.ToolContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TodoToolTest {

    private final ObjectMapper mapper = TestJson.mapper();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final TodoTool tool;

    TodoToolTest() throws Exception {
        tool = new TodoTool(new MemoryTodoRepository(clock, Duration.ofHours(24)), mapper, clock, new TodoConfig() {
            public int maxPerTenant() {
                return 3;
            }

            public int defaultPageSize() {
                return 2;
            }
        });
    }

    @Test
    void addListCompleteDelete() {
        JsonNode milk = run("{\"action\":\"add\",\"text\":\"Buy Milk\"}", 1).get("todo");
        clock.advance(Duration.ofSeconds(1));
        JsonNode bread = run("{\"action\":\"add\",\"text\":\"bake bread\"}", 2).get("todo");
        assertThat(milk.get("text").asText()).isEqualTo("Buy Milk");
        assertThat(milk.get("completed").asBoolean()).isFalse();
        assertThat(milk.get("completed_at").isNull()).isTrue();

        clock.advance(Duration.ofSeconds(1));
        JsonNode done = run("{\"action\":\"complete\",\"todo_id\":\"" + milk.get("id").asText() + "\"}", 3)
                .get("todo");
        assertThat(done.get("completed").asBoolean()).isTrue();
        assertThat(done.get("completed_at").asText()).isEqualTo("2026-01-01T00:00:02Z");

        JsonNode list = run("{\"action\":\"list\"}", 4);
        assertThat(list.get("todos")).extracting(t -> t.get("text").asText()).containsExactly("Buy Milk", "bake bread");
        assertThat(list.get("total_count").asInt()).isEqualTo(2);
        assertThat(list.get("completed_count").asInt()).isEqualTo(1);
        assertThat(list.get("pending_count").asInt()).isEqualTo(1);

        JsonNode deleted = run("{\"action\":\"delete\",\"todo_id\":\"" + bread.get("id").asText() + "\"}", 5);
        assertThat(deleted.get("deleted").asText()).isEqualTo(bread.get("id").asText());
        assertThat(run("{\"action\":\"list\"}", 6).get("total_count").asInt()).isEqualTo(1);
    }

    /** Issue 13, item 1: the tool refuses an add past the tenant's cap, and lists one page with exact counts. */
    @Test
    void addsStopAtTheCapWithAClearErrorAndListsArePaged() {
        for (int i = 0; i < 3; i++) {
            run("{\"action\":\"add\",\"text\":\"todo " + i + "\"}", i + 1);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThatThrownBy(() -> run("{\"action\":\"add\",\"text\":\"one too many\"}", 4))
                .isInstanceOf(ToolException.class).hasMessageContaining("the todo list is full: at most 3");

        JsonNode firstPage = run("{\"action\":\"list\"}", 5);
        assertThat(firstPage.get("todos")).extracting(t -> t.get("text").asText()).containsExactly("todo 0", "todo 1");
        assertThat(firstPage.get("total_count").asInt()).isEqualTo(3);
        assertThat(firstPage.get("limit").asInt()).isEqualTo(2);
        JsonNode rest = run("{\"action\":\"list\",\"limit\":10,\"offset\":2}", 6);
        assertThat(rest.get("todos")).extracting(t -> t.get("text").asText()).containsExactly("todo 2");
        assertThat(rest.get("pending_count").asInt()).isEqualTo(3);
    }

    @Test
    void completingTwiceKeepsTheFirstCompletionTime() {
        String id = run("{\"action\":\"add\",\"text\":\"x\"}", 1).at("/todo/id").asText();
        String first = run("{\"action\":\"complete\",\"todo_id\":\"" + id + "\"}", 2).at("/todo/completed_at").asText();
        clock.advance(Duration.ofMinutes(5));
        String second = run("{\"action\":\"complete\",\"todo_id\":\"" + id + "\"}", 3).at("/todo/completed_at").asText();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void unknownIdsAreErrors() {
        assertThatThrownBy(() -> run("{\"action\":\"complete\",\"todo_id\":\"nope\"}", 1))
                .isInstanceOf(ToolException.class).hasMessage("no todo with id 'nope'");
        assertThatThrownBy(() -> run("{\"action\":\"delete\",\"todo_id\":\"nope\"}", 1))
                .isInstanceOf(ToolException.class).hasMessage("no todo with id 'nope'");
    }

    @Test
    void theSameStepAddsOnceHoweverOftenItIsTried() {
        UUID runId = UUID.randomUUID();
        JsonNode input = json("{\"action\":\"add\",\"text\":\"once\"}");
        JsonNode first = tool.execute(input, new ToolContext(runId, 1, Run.DEFAULT_TENANT)).await().indefinitely();
        JsonNode again = tool.execute(input, new ToolContext(runId, 1, Run.DEFAULT_TENANT)).await().indefinitely();
        assertThat(again).isEqualTo(first);
        assertThat(run("{\"action\":\"list\"}", 9).get("total_count").asInt()).isEqualTo(1);
    }

    @Test
    void todosExpireAfterTheTtl() {
        run("{\"action\":\"add\",\"text\":\"fleeting\"}", 1);
        clock.advance(Duration.ofHours(24).plusSeconds(1));
        assertThat(run("{\"action\":\"list\"}", 2).get("total_count").asInt()).isZero();
    }

    private JsonNode run(String input, int step) {
        return tool.execute(json(input), new ToolContext(UUID.randomUUID(), step, Run.DEFAULT_TENANT)).await().indefinitely();
    }

    private JsonNode json(String text) {
        try {
            return mapper.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
