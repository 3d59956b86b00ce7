package dev.agentgateway.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

/** What a fake upstream keeps of the requests it receives, and for how long. */
class FakeUpstreamRecordingTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void keepsTheMostRecentRequestsUpToTheLimitAndCountsThemAll() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.builder().handler("/", Fakes.echo()).recordLimit(3).build().start()) {
            for (int i = 0; i < 5; i++) {
                post(upstream, "/n" + i, "body-" + i);
            }
            assertThat(upstream.receivedCount()).isEqualTo(5);
            assertThat(upstream.requests()).extracting(FakeRequest::path).containsExactly("/n2", "/n3", "/n4");
            FakeRequest last = upstream.lastRequest();
            assertThat(last.method()).isEqualTo("POST");
            assertThat(last.protocol()).isEqualTo("HTTP/1.1");
            assertThat(last.query()).isEqualTo("q=1");
            // The echo handler read the body during the exchange: it stays available afterwards.
            assertThat(last.bodyText()).isEqualTo("body-4");
            assertThatThrownBy(last::bodyStream).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already consumed");

            upstream.reset();
            assertThat(upstream.receivedCount()).isZero();
            assertThat(upstream.requests()).isEmpty();
        }
    }

    @Test
    void aRecordLimitBelowOneIsRefused() {
        assertThatThrownBy(() -> FakeUpstream.builder().recordLimit(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("recordLimit");
    }

    private void post(FakeUpstream upstream, String path, String body) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(upstream.url() + path + "?q=1"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }
}
