package dev.agentgateway.test;

/**
 * How a {@link FakeUpstream} answers a request; runs on a virtual thread and may block. See
 * {@link Fakes} for ready-made ones.
 *
 * <pre>{@code
 * FakeHandler hello = (request, response) -> response.status(200).header("Content-Type", "text/plain").write("hello");
 * }</pre>
 */
@FunctionalInterface
public interface FakeHandler {
    void handle(FakeRequest request, FakeResponse response) throws Exception;
}
