package dev.agentruntime.tools.mcp;

import dev.langchain4j.mcp.client.McpRoot;
import dev.langchain4j.mcp.protocol.McpCallToolRequest;
import dev.langchain4j.mcp.protocol.McpCancellationNotification;
import dev.langchain4j.mcp.protocol.McpClientMessage;
import dev.langchain4j.mcp.protocol.McpClientMethod;
import dev.langchain4j.mcp.protocol.McpImplementation;
import dev.langchain4j.mcp.protocol.McpInitializationNotification;
import dev.langchain4j.mcp.protocol.McpInitializeParams;
import dev.langchain4j.mcp.protocol.McpInitializeRequest;
import dev.langchain4j.mcp.protocol.McpJsonRpcMessage;
import dev.langchain4j.mcp.protocol.McpListToolsRequest;
import dev.langchain4j.mcp.protocol.McpPingResponse;
import dev.langchain4j.mcp.protocol.McpRootsListResponse;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The langchain4j-mcp messages the runtime sends are written by Jackson through reflection; the native image keeps
 * only what is registered. Answers are read as trees, so they need nothing.
 */
@RegisterForReflection(targets = {McpJsonRpcMessage.class, McpClientMessage.class, McpClientMethod.class,
        McpInitializeRequest.class, McpInitializeParams.class, McpInitializeParams.Capabilities.class,
        McpInitializeParams.Capabilities.Roots.class, McpInitializeParams.Capabilities.Sampling.class,
        McpImplementation.class, McpInitializationNotification.class, McpListToolsRequest.class,
        McpCallToolRequest.class, McpCancellationNotification.class, McpPingResponse.class,
        McpRootsListResponse.class, McpRoot.class})
final class McpReflection {

    private McpReflection() {
    }
}
