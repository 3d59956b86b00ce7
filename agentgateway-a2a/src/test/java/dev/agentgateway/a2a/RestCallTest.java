package dev.agentgateway.a2a;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgateway.a2a.internal.A2aMethod;
import dev.agentgateway.a2a.internal.RestCall;
import org.junit.jupiter.api.Test;

/** REST operations are recognised by verb and path end, whatever base path, tenant or /v1 comes before. */
class RestCallTest {

    @Test
    void v10PathsUnderAnyBase() {
        assertThat(RestCall.match("POST", "/rest/message:send")).isEqualTo(new RestCall(A2aMethod.SEND_MESSAGE, null, false));
        assertThat(RestCall.match("POST", "/rest/acme/message:stream")).isEqualTo(new RestCall(A2aMethod.SEND_STREAMING_MESSAGE, null, false));
        assertThat(RestCall.match("GET", "/tasks/t%201")).isEqualTo(new RestCall(A2aMethod.GET_TASK, "t 1", false));
        assertThat(RestCall.match("GET", "/rest/tasks")).isEqualTo(new RestCall(A2aMethod.LIST_TASKS, null, false));
        assertThat(RestCall.match("POST", "/rest/tasks/t1:cancel")).isEqualTo(new RestCall(A2aMethod.CANCEL_TASK, "t1", false));
        assertThat(RestCall.match("GET", "/rest/tasks/t1:subscribe")).isEqualTo(new RestCall(A2aMethod.SUBSCRIBE_TO_TASK, "t1", false));
        assertThat(RestCall.match("POST", "/rest/tasks/t1:subscribe")).isEqualTo(new RestCall(A2aMethod.SUBSCRIBE_TO_TASK, "t1", false));
        assertThat(RestCall.match("POST", "/tasks/t1/pushNotificationConfigs")).isEqualTo(new RestCall(A2aMethod.CREATE_PUSH_CONFIG, "t1", false));
        assertThat(RestCall.match("GET", "/tasks/t1/pushNotificationConfigs")).isEqualTo(new RestCall(A2aMethod.LIST_PUSH_CONFIGS, "t1", false));
        assertThat(RestCall.match("GET", "/tasks/t1/pushNotificationConfigs/c1")).isEqualTo(new RestCall(A2aMethod.GET_PUSH_CONFIG, "t1", false));
        assertThat(RestCall.match("DELETE", "/tasks/t1/pushNotificationConfigs/c1")).isEqualTo(new RestCall(A2aMethod.DELETE_PUSH_CONFIG, "t1", false));
        assertThat(RestCall.match("GET", "/extendedAgentCard")).isEqualTo(new RestCall(A2aMethod.GET_EXTENDED_CARD, null, false));
    }

    @Test
    void v03PathsCarryTheV1Segment() {
        assertThat(RestCall.match("POST", "/rest/v1/message:send")).isEqualTo(new RestCall(A2aMethod.SEND_MESSAGE, null, true));
        assertThat(RestCall.match("GET", "/v1/tasks/t1")).isEqualTo(new RestCall(A2aMethod.GET_TASK, "t1", true));
        assertThat(RestCall.match("POST", "/v1/tasks/t1:cancel")).isEqualTo(new RestCall(A2aMethod.CANCEL_TASK, "t1", true));
        assertThat(RestCall.match("GET", "/v1/tasks/t1/pushNotificationConfigs/c1")).isEqualTo(new RestCall(A2aMethod.GET_PUSH_CONFIG, "t1", true));
        assertThat(RestCall.match("GET", "/v1/card")).isEqualTo(new RestCall(A2aMethod.GET_EXTENDED_CARD, null, true));
    }

    @Test
    void everythingElseIsNotRest() {
        assertThat(RestCall.match("POST", "/rpc")).isNull();
        assertThat(RestCall.match("POST", "")).isNull();
        assertThat(RestCall.match("GET", "/message:send")).isNull();
        assertThat(RestCall.match("DELETE", "/tasks/t1")).isNull();
        assertThat(RestCall.match("GET", "/.well-known/agent-card.json")).isNull();
    }
}
