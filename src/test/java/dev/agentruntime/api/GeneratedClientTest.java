package dev.agentruntime.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.client.ApiClient;
import dev.agentruntime.client.ApiException;
import dev.agentruntime.client.api.HealthApi;
import dev.agentruntime.client.api.RunsApi;
import dev.agentruntime.client.model.ApprovalDecision;
import dev.agentruntime.client.model.CreateRunRequest;
import dev.agentruntime.client.model.DecisionRequest;
import dev.agentruntime.client.model.Problem;
import dev.agentruntime.client.model.Run;
import dev.agentruntime.client.model.RunStatus;
import dev.agentruntime.client.model.StepStatus;
import dev.agentruntime.testing.ApprovalsWithKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * Issue 27: a Java client generated from docs/openapi.yaml (openapi-generator, at build time into target/) drives the
 * API with nothing but what the document says. Before, the document said {@code inputHash} where the wire says
 * {@code input_hash}, so a generated client's decision was refused with 422. It reads strictly: a field the
 * document does not name fails the test.
 */
@QuarkusTest
@TestProfile(ApprovalsWithKeys.class)
class GeneratedClientTest {

    static final String KEY = ApprovalsWithKeys.ACME;

    @Test
    void createsARunApprovesItsStepAndReadsItBack() throws Exception {
        RunsApi runs = new RunsApi(client(KEY));
        String text = "generated " + UUID.randomUUID();

        Run paused = runs.createRun(new CreateRunRequest().prompt("calculate 100 / 4 and then add todo to " + text),
                "wait=10", null);
        assertThat(paused.getStatus()).isEqualTo(RunStatus.AWAITING_APPROVAL);
        assertThat(paused.getExecutionLog().get(0).getOutput()).isEqualTo(25);
        assertThat(paused.getApproval().getToolName()).isEqualTo("todo_store");
        assertThat(paused.getApproval().getToolInput()).isEqualTo(Map.of("action", "add", "text", text));
        assertThat(paused.getApproval().getDecision()).isEqualTo(ApprovalDecision.PENDING);

        Run approved = runs.approveStep(paused.getRunId().toString(),
                new DecisionRequest().inputHash(paused.getApproval().getInputHash()).comment("generated client"));
        assertThat(approved.getApproval().getDecision()).isEqualTo(ApprovalDecision.APPROVED);
        assertThat(approved.getApproval().getDecidedBy()).isEqualTo("acme");

        await().atMost(Duration.ofSeconds(20)).until(() ->
                runs.getRun(paused.getRunId().toString()).getStatus() == RunStatus.COMPLETED);
        Run done = runs.getRun(paused.getRunId().toString());
        assertThat(done.getExecutionLog()).extracting(step -> step.getStatus())
                .containsExactly(StepStatus.COMPLETED, StepStatus.COMPLETED);
        assertThat(done.getResult()).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) ((Map<?, ?>) done.getResult()).get("todo")).get("text")).isEqualTo(text);
        assertThat(done.getApproval().getComment()).isEqualTo("generated client");
        assertThat(runs.listRuns(10, 0, null)).extracting(Run::getRunId).contains(done.getRunId());
    }

    @Test
    void errorsArriveAsTheDocumentedProblems() throws Exception {
        ApiException unknown = catchThrowableOfType(ApiException.class,
                () -> new RunsApi(client(KEY)).getRun(UUID.randomUUID().toString()));
        assertThat(unknown.getCode()).isEqualTo(404);
        Problem problem = strict().readValue(unknown.getResponseBody(), Problem.class);
        assertThat(problem.getDetail()).contains("not found");

        ApiException anonymous = catchThrowableOfType(ApiException.class,
                () -> new RunsApi(client(null)).listRuns(null, null, null));
        assertThat(anonymous.getCode()).isEqualTo(401);
        assertThat(strict().readValue(anonymous.getResponseBody(), Problem.class).getStatus()).isEqualTo(401);

        // The health endpoint is open.
        assertThat(new HealthApi(client(null)).getHealth().getStatus()).isEqualTo("UP");
    }

    /** The generated client on the test port, presenting {@code key} as X-API-Key, reading strictly. */
    private static ApiClient client(String key) {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + RestAssured.port);
        client.setObjectMapper(strict());
        if (key != null) {
            client.setRequestInterceptor(request -> request.header("X-API-Key", key));
        }
        return client;
    }

    private static ObjectMapper strict() {
        return ApiClient.createDefaultObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
