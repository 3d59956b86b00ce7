package dev.agentgateway.llm.internal.provider;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request to send to a provider, relative to its base URL: the adapter decides path, headers and body;
 * authentication is added afterwards (it may sign exactly these bytes).
 *
 * @param path the path (with query) appended to the provider's base URL, starting with {@code /}
 * @param headers headers beyond authentication, such as {@code anthropic-version}
 * @param body the JSON body
 * @param stream whether the answer is a stream
 */
public record UpstreamRequest(String path, Map<String, String> headers, byte[] body, boolean stream) {

    public UpstreamRequest {
        headers = new LinkedHashMap<>(headers);
    }

    public static UpstreamRequest json(String path, byte[] body, boolean stream) {
        return new UpstreamRequest(path, Map.of(), body, stream);
    }

    public UpstreamRequest header(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new UpstreamRequest(path, copy, body, stream);
    }
}
