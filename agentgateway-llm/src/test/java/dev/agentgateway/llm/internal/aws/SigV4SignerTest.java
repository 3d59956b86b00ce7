package dev.agentgateway.llm.internal.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The signer reproduces a request signed by the AWS SDK for JavaScript (reference llm.md 6.5). */
class SigV4SignerTest {
    private static final String BODY = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}],"
            + "\"system\":[{\"text\":\"be brief\"}],\"inferenceConfig\":{\"maxTokens\":64}}";
    private static final ZonedDateTime WHEN = ZonedDateTime.of(2026, 11, 23, 19, 33, 45, 0, ZoneOffset.UTC);

    private final SigV4Signer signer = new SigV4Signer("AKIDTEST", "secret", null, "us-east-1", "bedrock");

    private static Map<String, String> sdkHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("amz-sdk-invocation-id", "66bec5e0-d88a-4d37-95d5-99a4e5d32477");
        headers.put("amz-sdk-request", "attempt=1; max=3");
        headers.put("content-length", "122");
        headers.put("content-type", "application/json");
        headers.put("host", "127.0.0.1:18080");
        headers.put("x-amz-user-agent", "aws-sdk-js/3.1163.0");
        return headers;
    }

    @Test
    void theBodyOfTheVectorIs122Bytes() {
        assertThat(BODY.getBytes(StandardCharsets.UTF_8)).hasSize(122);
    }

    @Test
    void reproducesTheSdkSignature() {
        Map<String, String> headers = sdkHeaders();
        SigV4Signer.Signature signature = signer.sign("POST", "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse", null,
                headers, BODY.getBytes(StandardCharsets.UTF_8), WHEN);

        assertThat(signature.canonicalRequest()).isEqualTo("""
                POST
                /model/anthropic.claude-3-haiku-20240307-v1%253A0/converse

                amz-sdk-invocation-id:66bec5e0-d88a-4d37-95d5-99a4e5d32477
                amz-sdk-request:attempt=1; max=3
                content-length:122
                content-type:application/json
                host:127.0.0.1:18080
                x-amz-content-sha256:a76545df4c5dee5949891cba52259d16830a0ac49eccc8eb79974a686d138072
                x-amz-date:20261123T193345Z
                x-amz-user-agent:aws-sdk-js/3.1163.0

                amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent
                a76545df4c5dee5949891cba52259d16830a0ac49eccc8eb79974a686d138072""");
        assertThat(signature.stringToSign()).isEqualTo("AWS4-HMAC-SHA256\n20261123T193345Z\n20261123/us-east-1/bedrock/aws4_request\n"
                + "ec0ea8c949682d300346c5907305cfa3592331001b94e6601e600a16066386fd");
        assertThat(HexFormat.of().formatHex(signer.signingKey("20261123")))
                .isEqualTo("a7eb280494a9f96663e29885cc551998e7372d2797a8add5a087bd04d38b5bab");
        assertThat(signature.signature()).isEqualTo("2e755698de64b521b6e3789986915ab442147e4f503dc3c03adf05633b6c151c");
        assertThat(headers.get("authorization")).isEqualTo("AWS4-HMAC-SHA256 Credential=AKIDTEST/20261123/us-east-1/bedrock/aws4_request, "
                + "SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-user-agent, "
                + "Signature=2e755698de64b521b6e3789986915ab442147e4f503dc3c03adf05633b6c151c");
        assertThat(headers.get("x-amz-date")).isEqualTo("20261123T193345Z");
    }

    @Test
    void encodingThePathOnlyOnceGivesTheWrongSignatureOfTheVector() {
        // The reference's "single encoding (wrong)" value: proves the double encoding is what makes it right.
        Map<String, String> headers = sdkHeaders();
        SigV4Signer.Signature signature = signer.sign("POST", "/model/anthropic.claude-3-haiku-20240307-v1:0/converse", null,
                headers, BODY.getBytes(StandardCharsets.UTF_8), WHEN);
        assertThat(signature.signature()).isEqualTo("9745e06d36b09813484ac3dd02479c9658b825fe98694bad68c9c845f3e5f43b");
    }

    @Test
    void sessionCredentialsAddTheSecurityTokenAndSignIt() {
        SigV4Signer session = new SigV4Signer("AKIDTEST", "secret", "session-token", "us-east-1", "bedrock");
        Map<String, String> headers = new LinkedHashMap<>(Map.of("host", "bedrock-runtime.us-east-1.amazonaws.com"));
        SigV4Signer.Signature signature = session.sign("POST", "/model/m/converse", null, headers, new byte[0], WHEN);
        assertThat(headers.get("x-amz-security-token")).isEqualTo("session-token");
        assertThat(signature.authorization()).contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token");
    }

    @Test
    void queriesAreSortedAndEncoded() {
        assertThat(SigV4Signer.canonicalQuery("b=2&a=x y&a=1")).isEqualTo("a=1&a=x%20y&b=2");
        assertThat(SigV4Signer.canonicalUri("/model/arn%3Aaws%2Fx/converse")).isEqualTo("/model/arn%253Aaws%252Fx/converse");
    }
}
