package dev.agentruntime.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentruntime.execution.RunService;
import dev.agentruntime.run.InvalidRequestException;
import dev.agentruntime.run.Run;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Runs: create one from a prompt, read one, list them. */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private final RunService runs;
    private final ObjectMapper mapper;

    public RunResource(RunService runs, ObjectMapper mapper) {
        this.runs = runs;
        this.mapper = mapper;
    }

    @POST
    public Uni<RestResponse<Run>> create(String body, @HeaderParam("Prefer") String prefer) {
        CreateRunRequest request = CreateRunRequest.parse(body, mapper);
        Duration wait = PreferWait.parse(prefer);
        return runs.create(request.prompt(), wait).map(run -> {
            RestResponse.ResponseBuilder<Run> response = RestResponse.ResponseBuilder
                    .<Run>created(URI.create("/api/v1/runs/" + run.runId()))
                    .entity(run);
            if (!wait.isZero()) {
                response.header("Preference-Applied", "wait=" + wait.toSeconds());
            }
            return response.build();
        });
    }

    @GET
    @Path("/{run_id}")
    public Uni<Run> get(@PathParam("run_id") String runId) {
        return runs.get(runId);
    }

    @GET
    public Uni<List<Run>> list(@QueryParam("limit") String limit, @QueryParam("offset") String offset) {
        return runs.list(intParam("limit", limit, 10, 1, 100), intParam("offset", offset, 0, 0, Integer.MAX_VALUE));
    }

    private static int intParam(String name, String raw, int fallback, int min, int max) {
        if (raw == null) {
            return fallback;
        }
        String range = max == Integer.MAX_VALUE ? "an integer ≥ " + min : "an integer from " + min + " to " + max;
        try {
            int value = Integer.parseInt(raw.strip());
            if (value < min || value > max) {
                throw InvalidRequestException.badRequest(name + ": must be " + range + ", got " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw InvalidRequestException.badRequest(name + ": must be " + range + ", got '" + raw + "'");
        }
    }
}
