package dev.agentgateway.mcp.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;

/**
 * A Java re-implementation, with the MCP Java SDK 2.1.0, of the server the MCP conformance suite
 * (0.1.16, server mode) expects: the tools, resources and prompts of reference/mcp.md section 14.4.
 */
public final class ConformanceFixture {
    /** A 1x1 transparent PNG. */
    static final String PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";
    /** A tiny WAV header with no samples. */
    static final String WAV = "UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YQAAAAA=";
    static final Map<String, Object> NO_ARGS = Map.of("type", "object", "properties", Map.of());

    private ConformanceFixture() {
    }

    public static McpSyncServer build(McpStreamableServerTransportProvider transport) {
        java.util.concurrent.atomic.AtomicReference<McpSyncServer> self = new java.util.concurrent.atomic.AtomicReference<>();
        McpSyncServer server = McpServer.sync(transport)
                .serverInfo("mcp-conformance-test-server", "1.0.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).resources(true, true).prompts(true)
                        .logging().completions().build())
                .tools(tools())
                .tools(modernDiagnostics(self))
                .resources(resources())
                .resourceTemplates(new McpServerFeatures.SyncResourceTemplateSpecification(
                        new McpSchema.ResourceTemplate("test://template/{id}/data", "template", null, "A templated resource",
                                "application/json", null, null, null),
                        (exchange, request) -> {
                            String id = request.uri().replace("test://template/", "").replace("/data", "");
                            return McpSchema.ReadResourceResult.builder(List.of(McpSchema.TextResourceContents.builder(request.uri(),
                                    "{\"id\":\"" + id + "\",\"templateTest\":true,\"data\":\"Data for ID: " + id + "\"}")
                                    .mimeType("application/json").build())).build();
                        }))
                .prompts(prompts())
                .completions(new McpServerFeatures.SyncCompletionSpecification(new McpSchema.PromptReference("test_prompt_with_arguments"),
                        (exchange, request) -> new McpSchema.CompleteResult(new McpSchema.CompleteResult.CompleteCompletion(List.of(), 0, false))))
                .build();
        self.set(server);
        return server;
    }

    /**
     * The diagnostic tools the 2026-07-28 scenarios look for that a legacy server can provide, for the
     * runs through the gateway's modern face: an elicitation during a call (the modern client must get
     * no request on the stream), logging (none without a requested level), list changes (to
     * subscriptions), and an argument mirrored in an {@code Mcp-Param-Region} header.
     */
    private static List<McpServerFeatures.SyncToolSpecification> modernDiagnostics(java.util.concurrent.atomic.AtomicReference<McpSyncServer> self) {
        java.util.concurrent.atomic.AtomicInteger added = new java.util.concurrent.atomic.AtomicInteger();
        return List.of(
                SdkServers.tool("test_streaming_elicitation", "Asks the user during the call", NO_ARGS, (exchange, request) ->
                        elicit(exchange, "Please confirm", Map.of("type", "object", "properties",
                                Map.of("confirmed", Map.of("type", "boolean")), "required", List.of("confirmed")), "Streaming elicitation: ")),
                SdkServers.tool("test_logging_tool", "Logs while it runs", NO_ARGS, (exchange, request) -> {
                    for (String message : List.of("Logging tool started", "Logging tool finished")) {
                        exchange.loggingNotification(McpSchema.LoggingMessageNotification.builder(McpSchema.LoggingLevel.INFO, message).build());
                    }
                    return SdkServers.text("Logging tool executed");
                }),
                SdkServers.tool("test_trigger_tool_change", "Adds a tool (tools list changes)", NO_ARGS, (exchange, request) -> {
                    String name = "test_dynamic_tool_" + added.incrementAndGet();
                    self.get().addTool(SdkServers.tool(name, "Added at run time", NO_ARGS, (e, r) -> SdkServers.text(name)));
                    self.get().notifyToolsListChanged();
                    return SdkServers.text("added " + name);
                }),
                SdkServers.tool("test_trigger_prompt_change", "Adds a prompt (prompts list changes)", NO_ARGS, (exchange, request) -> {
                    String name = "test_dynamic_prompt_" + added.incrementAndGet();
                    self.get().addPrompt(prompt(McpSchema.Prompt.builder(name).description("Added at run time").build(),
                            r -> List.of(user(McpSchema.TextContent.builder(name).build()))));
                    self.get().notifyPromptsListChanged();
                    return SdkServers.text("added " + name);
                }),
                SdkServers.tool("test_sample_then_confirm", "Samples, then asks the user to confirm the answer", schema("prompt"), (exchange, request) -> {
                    McpSchema.CreateMessageResult sampled = exchange.createMessage(McpSchema.CreateMessageRequest.builder(List.of(
                            McpSchema.SamplingMessage.builder(McpSchema.Role.USER, McpSchema.TextContent.builder(
                                    String.valueOf(request.arguments().get("prompt"))).build()).build()), 100).build());
                    String text = sampled.content() instanceof McpSchema.TextContent t ? t.text() : String.valueOf(sampled.content());
                    McpSchema.ElicitResult confirmed = exchange.createElicitation(McpSchema.ElicitFormRequest.builder("Keep '" + text + "'?",
                            Map.of("type", "object", "properties", Map.of("keep", Map.of("type", "boolean")), "required", List.of("keep"))).build());
                    return SdkServers.text("sampled=" + text + ", action=" + confirmed.action().name().toLowerCase(java.util.Locale.ROOT)
                            + ", content=" + confirmed.content());
                }),
                SdkServers.tool("test_custom_header", "Echoes a region mirrored in a header", Map.of("type", "object", "properties",
                        Map.of("region", Map.of("type", "string", "x-mcp-header", "Region"))),
                        (exchange, request) -> SdkServers.text("region: " + request.arguments().get("region"))));
    }

    private static List<McpServerFeatures.SyncToolSpecification> tools() {
        return List.of(
                SdkServers.tool("test_simple_text", "Returns simple text", NO_ARGS,
                        (exchange, request) -> SdkServers.text("This is a simple text response for testing.")),
                SdkServers.tool("test_image_content", "Returns an image", NO_ARGS, (exchange, request) -> result(
                        McpSchema.ImageContent.builder(PNG, "image/png").build())),
                SdkServers.tool("test_audio_content", "Returns audio", NO_ARGS, (exchange, request) -> result(
                        McpSchema.AudioContent.builder(WAV, "audio/wav").build())),
                SdkServers.tool("test_embedded_resource", "Returns an embedded resource", NO_ARGS, (exchange, request) -> result(
                        embedded("test://embedded-resource", "text/plain", "This is an embedded resource content."))),
                SdkServers.tool("test_multiple_content_types", "Returns several content types", NO_ARGS, (exchange, request) ->
                        McpSchema.CallToolResult.builder()
                                .addContent(McpSchema.TextContent.builder("Multiple content types test:").build())
                                .addContent(McpSchema.ImageContent.builder(PNG, "image/png").build())
                                .addContent(embedded("test://mixed-content-resource", "application/json", "{\"test\":\"data\",\"value\":123}"))
                                .build()),
                SdkServers.tool("test_tool_with_logging", "Logs while it runs", NO_ARGS, (exchange, request) -> {
                    for (String message : List.of("Tool execution started", "Tool processing data", "Tool execution completed")) {
                        exchange.loggingNotification(McpSchema.LoggingMessageNotification.builder(McpSchema.LoggingLevel.INFO, message).build());
                        sleep(50);
                    }
                    return SdkServers.text("Tool with logging executed successfully");
                }),
                SdkServers.tool("test_tool_with_progress", "Reports progress", NO_ARGS, (exchange, request) -> {
                    Object token = request.meta() == null ? null : request.meta().get("progressToken");
                    if (token != null) {
                        for (int progress : new int[] {0, 50, 100}) {
                            exchange.progressNotification(McpSchema.ProgressNotification.builder(token, progress).total(100.0)
                                    .message("Completed step " + progress).build());
                            sleep(50);
                        }
                    }
                    return SdkServers.text(String.valueOf(token));
                }),
                SdkServers.tool("test_error_handling", "Always fails", NO_ARGS, (exchange, request) -> McpSchema.CallToolResult.builder()
                        .addTextContent("This tool intentionally returns an error for testing").isError(true).build()),
                SdkServers.tool("test_sampling", "Asks the client to sample", schema("prompt"), (exchange, request) -> {
                    McpSchema.CreateMessageResult answer = exchange.createMessage(McpSchema.CreateMessageRequest.builder(List.of(McpSchema.SamplingMessage.builder(McpSchema.Role.USER,
                                    McpSchema.TextContent.builder(String.valueOf(request.arguments().get("prompt"))).build()).build()), 100)
                            .build());
                    String text = answer.content() instanceof McpSchema.TextContent t ? t.text() : String.valueOf(answer.content());
                    return SdkServers.text("LLM response: " + text);
                }),
                SdkServers.tool("test_elicitation", "Asks the user", schema("message"), (exchange, request) -> {
                    Map<String, Object> properties = new LinkedHashMap<>();
                    properties.put("username", Map.of("type", "string", "description", "User's response"));
                    properties.put("email", Map.of("type", "string", "description", "User's email address"));
                    return elicit(exchange, String.valueOf(request.arguments().get("message")),
                            Map.of("type", "object", "properties", properties, "required", List.of("username", "email")), "User response: ");
                }),
                SdkServers.tool("test_elicitation_sep1034_defaults", "Elicitation with defaults", NO_ARGS, (exchange, request) -> {
                    Map<String, Object> properties = new LinkedHashMap<>();
                    properties.put("name", Map.of("type", "string", "description", "User name", "default", "John Doe"));
                    properties.put("age", Map.of("type", "integer", "description", "User age", "default", 30));
                    properties.put("score", Map.of("type", "number", "description", "User score", "default", 95.5));
                    properties.put("status", Map.of("type", "string", "description", "User status",
                            "enum", List.of("active", "inactive", "pending"), "default", "active"));
                    properties.put("verified", Map.of("type", "boolean", "description", "Verification status", "default", true));
                    return elicit(exchange, "Please review and update the form fields with defaults",
                            Map.of("type", "object", "properties", properties, "required", List.of()), "Elicitation completed: ");
                }),
                SdkServers.tool("test_elicitation_sep1330_enums", "Elicitation with enums", NO_ARGS, (exchange, request) -> {
                    Map<String, Object> properties = new LinkedHashMap<>();
                    properties.put("untitledSingle", Map.of("type", "string", "description", "Choose an option",
                            "enum", List.of("option1", "option2", "option3")));
                    properties.put("titledSingle", Map.of("type", "string", "description", "Choose a titled option",
                            "oneOf", List.of(Map.of("const", "value1", "title", "First Option"), Map.of("const", "value2", "title", "Second Option"),
                                    Map.of("const", "value3", "title", "Third Option"))));
                    properties.put("legacyEnum", Map.of("type", "string", "description", "Choose a legacy option",
                            "enum", List.of("opt1", "opt2", "opt3"), "enumNames", List.of("Option One", "Option Two", "Option Three")));
                    properties.put("untitledMulti", Map.of("type", "array", "description", "Choose multiple options", "minItems", 1,
                            "maxItems", 3, "items", Map.of("type", "string", "enum", List.of("option1", "option2", "option3"))));
                    properties.put("titledMulti", Map.of("type", "array", "description", "Choose multiple titled options", "minItems", 1,
                            "maxItems", 3, "items", Map.of("anyOf", List.of(Map.of("const", "value1", "title", "First Choice"),
                                    Map.of("const", "value2", "title", "Second Choice"), Map.of("const", "value3", "title", "Third Choice")))));
                    return elicit(exchange, "Please select options from the enum fields",
                            Map.of("type", "object", "properties", properties, "required", List.of()), "Elicitation completed: ");
                }),
                McpServerFeatures.SyncToolSpecification.builder()
                        .tool(McpSchema.Tool.builder("json_schema_2020_12_tool", Map.of("$schema", "https://json-schema.org/draft/2020-12/schema", "type", "object",
                                        "$defs", Map.of("address", Map.of("$anchor", "address", "type", "object", "properties",
                                                Map.of("street", Map.of("type", "string"), "city", Map.of("type", "string")))),
                                        "properties", Map.of("name", Map.of("type", "string"), "address", Map.of("$ref", "#/$defs/address")),
                                        "allOf", List.of(Map.of("required", List.of("name")),
                                                Map.of("anyOf", List.of(Map.of("required", List.of("name")), Map.of("required", List.of("address"))))),
                                        "if", Map.of("properties", Map.of("name", Map.of("const", "x"))),
                                        "then", Map.of("required", List.of("address")),
                                        "else", Map.of(),
                                        "additionalProperties", false))
                                .description("A tool with a 2020-12 schema").build())
                        .callHandler((exchange, request) -> SdkServers.text("ok"))
                        .build());
    }

    private static McpSchema.CallToolResult elicit(McpSyncServerExchange exchange, String message, Map<String, Object> schema, String prefix) {
        McpSchema.ElicitResult result = exchange.createElicitation(McpSchema.ElicitFormRequest.builder(message, schema).build());
        return SdkServers.text(prefix + "action=" + result.action().name().toLowerCase(java.util.Locale.ROOT) + ", content=" + result.content());
    }

    private static List<McpServerFeatures.SyncResourceSpecification> resources() {
        return List.of(
                resource("test://static-text", "static-text", "text/plain", McpSchema.TextResourceContents.builder("test://static-text",
                        "This is the content of the static text resource.").mimeType("text/plain").build()),
                resource("test://static-binary", "static-binary", "image/png", McpSchema.BlobResourceContents.builder("test://static-binary", PNG)
                        .mimeType("image/png").build()),
                resource("test://watched-resource", "watched-resource", "text/plain",
                        McpSchema.TextResourceContents.builder("test://watched-resource", "Watched resource content").mimeType("text/plain").build()));
    }

    private static McpServerFeatures.SyncResourceSpecification resource(String uri, String name, String mimeType,
                                                                        McpSchema.ResourceContents contents) {
        return new McpServerFeatures.SyncResourceSpecification(
                McpSchema.Resource.builder(uri, name).description("The " + name + " resource").mimeType(mimeType).build(),
                (exchange, request) -> McpSchema.ReadResourceResult.builder(List.of(contents)).build());
    }

    private static List<McpServerFeatures.SyncPromptSpecification> prompts() {
        return List.of(
                prompt(McpSchema.Prompt.builder("test_simple_prompt").description("A simple prompt").build(), request -> List.of(
                        user(McpSchema.TextContent.builder("This is a simple prompt for testing.").build()))),
                prompt(McpSchema.Prompt.builder("test_prompt_with_arguments").description("A prompt with arguments")
                        .arguments(List.of(McpSchema.PromptArgument.builder("arg1").description("First argument").required(true).build(),
                                McpSchema.PromptArgument.builder("arg2").description("Second argument").required(true).build()))
                        .build(), request -> List.of(user(McpSchema.TextContent.builder("Prompt with arguments: arg1='"
                        + request.arguments().get("arg1") + "', arg2='" + request.arguments().get("arg2") + "'").build()))),
                prompt(McpSchema.Prompt.builder("test_prompt_with_embedded_resource").description("A prompt with a resource")
                        .arguments(List.of(McpSchema.PromptArgument.builder("resourceUri").description("URI of the resource").required(true).build()))
                        .build(), request -> List.of(
                        user(embedded(String.valueOf(request.arguments().get("resourceUri")), "text/plain", "Embedded resource content for testing.")),
                        user(McpSchema.TextContent.builder("Please process the embedded resource above.").build()))),
                prompt(McpSchema.Prompt.builder("test_prompt_with_image").description("A prompt with an image").build(), request -> List.of(
                        user(McpSchema.ImageContent.builder(PNG, "image/png").build()),
                        user(McpSchema.TextContent.builder("Please analyze the image above.").build()))));
    }

    private static McpServerFeatures.SyncPromptSpecification prompt(McpSchema.Prompt prompt,
            java.util.function.Function<McpSchema.GetPromptRequest, List<McpSchema.PromptMessage>> messages) {
        return new McpServerFeatures.SyncPromptSpecification(prompt,
                (exchange, request) -> McpSchema.GetPromptResult.builder(messages.apply(request)).build());
    }

    private static McpSchema.PromptMessage user(McpSchema.Content content) {
        return McpSchema.PromptMessage.builder(McpSchema.Role.USER, content).build();
    }

    private static McpSchema.EmbeddedResource embedded(String uri, String mimeType, String text) {
        return McpSchema.EmbeddedResource.builder(McpSchema.TextResourceContents.builder(uri, text).mimeType(mimeType).build()).build();
    }

    private static McpSchema.CallToolResult result(McpSchema.Content content) {
        return McpSchema.CallToolResult.builder().addContent(content).build();
    }

    private static Map<String, Object> schema(String required) {
        return Map.of("type", "object", "properties", Map.of(required, Map.of("type", "string")), "required", List.of(required));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
