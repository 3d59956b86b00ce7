package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentgateway.core.Route;
import dev.agentgateway.test.FakeRequest;
import dev.agentgateway.test.FakeUpstream;
import dev.agentgateway.test.Fakes;
import dev.agentgateway.test.GatewayExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Push-notification webhooks, both ways the gateway offers: checked against SSRF and passed on (default),
 * or relayed through the gateway; with the real {@code @a2a-js/sdk} agent delivering notifications.
 */
class PushNotificationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final ShouterAgent agent = new ShouterAgent();

    @RegisterExtension
    static final FakeUpstream webhook = FakeUpstream.of(Fakes.echo()); // echo reads (and keeps) the body

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.of(g -> g
            .route(Route.builder("checked").pathPrefix("/agents/checked").backend(A2aBackend.of(agent.url())))
            .route(Route.builder("relayed").pathPrefix("/agents/relayed").backend(A2aBackend.builder().url(agent.url())
                    .pushNotifications(PushNotifications.relay().allowPrivateNetworks(true)).build())));

    private JsonNode rpc(String agentName, String method, String params, String version) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.uri("/agents/" + agentName)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}"));
        if (version != null) {
            request.header("A2A-Version", version);
        }
        HttpResponse<String> response = gateway.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private String newTask(String agentName) throws Exception {
        JsonNode sent = rpc(agentName, "SendMessage", "{\"message\":{\"messageId\":\"m-" + System.nanoTime()
                + "\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"x\"}]}}", "1.0");
        return sent.at("/result/task/id").asText();
    }

    private String createConfig(String agentName, String taskId, String url) throws Exception {
        return "{\"taskId\":\"" + taskId + "\",\"url\":\"" + url + "\",\"token\":\"t\"}";
    }

    @Test
    void webhooksOnLoopbackMetadataOrPrivateAddressesAreRefusedInEveryPlace() throws Exception {
        String taskId = newTask("checked");
        int agentRequests = agent.requests().size();
        for (String url : new String[] {"http://127.0.0.1:9/hook", "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/h",
                "http://192.168.1.1/h", "http://[::1]/h", "http://localhost/h", "ftp://93.184.216.34/h"}) {
            JsonNode refused = rpc("checked", "CreateTaskPushNotificationConfig", createConfig("checked", taskId, url), "1.0");
            assertThat(refused.at("/error/code").asInt()).as(url).isEqualTo(-32602);
            assertThat(refused.at("/error/message").asText()).as(url).contains("Push notification config refused");
        }
        JsonNode legacy = rpc("checked", "tasks/pushNotificationConfig/set",
                "{\"taskId\":\"" + taskId + "\",\"pushNotificationConfig\":{\"url\":\"http://127.0.0.2/h\"}}", null);
        assertThat(legacy.at("/error/code").asInt()).isEqualTo(-32602);
        JsonNode inline = rpc("checked", "SendMessage", "{\"message\":{\"messageId\":\"m-inline\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"x\"}]},"
                + "\"configuration\":{\"taskPushNotificationConfig\":{\"url\":\"http://172.16.0.1/h\"}}}", "1.0");
        assertThat(inline.at("/error/code").asInt()).isEqualTo(-32602);
        HttpResponse<String> rest = gateway.httpClient().send(HttpRequest.newBuilder(
                gateway.uri("/agents/checked/rest/tasks/" + taskId + "/pushNotificationConfigs"))
                .header("Content-Type", "application/a2a+json").header("A2A-Version", "1.0")
                .POST(HttpRequest.BodyPublishers.ofString(createConfig("checked", taskId, "http://[fd00::1]/h"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(rest.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(rest.body()).at("/error/status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(agent.requests()).as("refused configs never reach the agent").hasSize(agentRequests);
    }

    @Test
    void aPublicWebhookIsPassedToTheAgentUnchanged() throws Exception {
        String taskId = newTask("checked");
        JsonNode created = rpc("checked", "CreateTaskPushNotificationConfig", createConfig("checked", taskId, "https://93.184.216.34/hook"), "1.0");
        assertThat(created.has("error")).as(created.toString()).isFalse();
        assertThat(created.at("/result/url").asText()).isEqualTo("https://93.184.216.34/hook");
    }

    @Test
    void relayedNotificationsReachTheClientsWebhookWithTheClientsCredentialsWhichTheAgentNeverSees() throws Exception {
        webhook.reset();
        String hook = webhook.url() + "/hook";
        JsonNode sent = rpc("relayed", "SendMessage", "{\"message\":{\"messageId\":\"m-push\",\"role\":\"ROLE_USER\",\"parts\":[{\"text\":\"slow:1\"}]},"
                + "\"configuration\":{\"returnImmediately\":true,\"taskPushNotificationConfig\":{\"url\":\"" + hook + "\",\"token\":\"client-token\","
                + "\"authentication\":{\"scheme\":\"Bearer\",\"credentials\":\"client-secret\"}}}}", "1.0");
        String taskId = sent.at("/result/task/id").asText();
        assertThat(taskId).isNotEmpty();
        for (int i = 0; i < 200 && webhook.requests().size() < 2; i++) {
            Thread.sleep(25);
        }
        assertThat(webhook.requests()).as("notifications relayed to the client's webhook").hasSizeGreaterThanOrEqualTo(2);
        FakeRequest delivered = webhook.requests().get(0);
        assertThat(delivered.path()).isEqualTo("/hook");
        assertThat(delivered.header("Authorization")).isEqualTo("Bearer client-secret");
        assertThat(delivered.header("X-A2A-Notification-Token")).isEqualTo("client-token");
        assertThat(delivered.bodyText()).contains(taskId);
        // The agent only ever talked to the gateway's relay; the client sees its own URL when it asks.
        JsonNode listed = rpc("relayed", "ListTaskPushNotificationConfigs", "{\"taskId\":\"" + taskId + "\"}", "1.0");
        assertThat(listed.toString()).contains(hook).doesNotContain("/_push/");
        assertThat(gateway.meterRegistry().find("a2a.push.deliveries").tag("status", "delivered").counter().count()).isGreaterThanOrEqualTo(2.0);
    }

    @Test
    void theRelayRefusesPostsWithoutItsToken() throws Exception {
        HttpResponse<String> forged = gateway.httpClient().send(HttpRequest.newBuilder(gateway.uri("/agents/relayed/_push/guessed"))
                .header("Content-Type", "application/json").header("X-A2A-Notification-Token", "nope")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(404);
    }
}
