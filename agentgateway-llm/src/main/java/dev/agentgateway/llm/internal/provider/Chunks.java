package dev.agentgateway.llm.internal.provider;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentgateway.llm.internal.Json;

/** Builders of OpenAI response shapes: chunks, usage, completions, errors. */
public final class Chunks {
    private Chunks() {
    }

    /** A {@code chat.completion.chunk} with one choice carrying {@code delta}. */
    public static ObjectNode chunk(String id, long created, String model, ObjectNode delta, String finishReason) {
        ObjectNode chunk = Json.object();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta == null ? Json.object() : delta);
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    /** The closing usage chunk: no choices, the usage. */
    public static ObjectNode usageChunk(String id, long created, String model, ObjectNode usage) {
        ObjectNode chunk = Json.object();
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        chunk.putArray("choices");
        chunk.set("usage", usage);
        return chunk;
    }

    /** An OpenAI usage object. */
    public static ObjectNode usage(long prompt, long completion, long total, long cached, long cacheCreation, long reasoning) {
        ObjectNode usage = Json.object();
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", total > 0 ? total : prompt + completion);
        ObjectNode promptDetails = usage.putObject("prompt_tokens_details");
        promptDetails.put("cached_tokens", cached);
        if (cacheCreation > 0) {
            // Not in OpenAI's schema; kept so that accounting can tell cache writes apart.
            promptDetails.put("cache_creation_tokens", cacheCreation);
        }
        if (reasoning > 0) {
            usage.putObject("completion_tokens_details").put("reasoning_tokens", reasoning);
        }
        return usage;
    }

    /** A {@code chat.completion} with one choice. */
    public static ObjectNode completion(String id, long created, String model, ObjectNode message, String finishReason,
                                        ObjectNode usage) {
        ObjectNode completion = Json.object();
        completion.put("id", id);
        completion.put("object", "chat.completion");
        completion.put("created", created);
        completion.put("model", model);
        ArrayNode choices = completion.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        choice.set("message", message);
        choice.put("finish_reason", finishReason);
        choice.putNull("logprobs");
        if (usage != null) {
            completion.set("usage", usage);
        }
        return completion;
    }

    /** An assistant message with text (or null content). */
    public static ObjectNode assistant(String text) {
        ObjectNode message = Json.object();
        message.put("role", "assistant");
        if (text == null) {
            message.putNull("content");
        } else {
            message.put("content", text);
        }
        message.putNull("refusal");
        return message;
    }

    /** A tool-call entry of a message: {@code {id, type:"function", function:{name, arguments}}}. */
    public static ObjectNode toolCall(String id, String name, String arguments) {
        ObjectNode call = Json.object();
        call.put("id", id);
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", name);
        function.put("arguments", arguments);
        return call;
    }

    /** A stream delta announcing a tool call at {@code index}. */
    public static ObjectNode toolCallStart(int index, String id, String name) {
        ObjectNode delta = Json.object();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.put("id", id);
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", name);
        function.put("arguments", "");
        return delta;
    }

    /** A stream delta continuing a tool call's arguments. */
    public static ObjectNode toolCallArguments(int index, String arguments) {
        ObjectNode delta = Json.object();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.putObject("function").put("arguments", arguments);
        return delta;
    }

    /** A delta with text content. */
    public static ObjectNode content(String text) {
        ObjectNode delta = Json.object();
        delta.put("content", text);
        return delta;
    }

    /** The first delta of a stream. */
    public static ObjectNode roleDelta() {
        ObjectNode delta = Json.object();
        delta.put("role", "assistant");
        delta.put("content", "");
        return delta;
    }

    /** An OpenAI error object {@code {"error":{message,type,param,code}}}. */
    public static ObjectNode error(String message, String type, String code) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.putNull("param");
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        return root;
    }

    public static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
