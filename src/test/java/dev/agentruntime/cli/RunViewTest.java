package dev.agentruntime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** How {@link RunView} reads for people, without a server: what the server leaves out is not shown as nothing. */
class RunViewTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunView view = new RunView(new Terminal(new PrintWriter(new StringWriter()),
            new PrintWriter(new StringWriter()), null, false), JSON);

    @Test
    void healthCountsTheToolsItWasShown() throws Exception {
        assertThat(view.health(JSON.readTree("{\"status\": \"UP\", \"version\": \"1.2\", \"store\": \"redis\", "
                + "\"planner\": \"rules\", \"tools\": [{\"name\": \"calculator\"}, {\"name\": \"wait\"}]}")))
                .containsExactly("UP  version 1.2, store redis, planner rules, 2 tools");
    }

    @Test
    void healthSaysNothingOfToolsTheServerLeftOut() throws Exception {
        // An anonymous caller of a server with auth on is shown no tools: "0 tools" said the server had none.
        JsonNode anonymous = JSON.readTree("{\"status\": \"UP\", \"version\": \"1.2\", \"store\": \"redis\", "
                + "\"planner\": \"rules\", \"checks\": {\"state-store\": \"UP\"}}");
        assertThat(view.health(anonymous)).containsExactly("UP  version 1.2, store redis, planner rules, "
                + "tools not shown without credentials", "  check state-store: UP");
    }
}
