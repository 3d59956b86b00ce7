package dev.agentgateway.test.llm;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.agentgateway.test.FakeRequest;

/**
 * Checks AWS Signature Version 4 on a request as AWS does: rebuilds the canonical request from what
 * arrived (the wire path encoded once more per segment, the signed headers, the body's hash) and
 * compares signatures. A fake Bedrock uses it to refuse what the real one would refuse.
 */
final class SigV4Verifier {
    private static final HexFormat HEX = HexFormat.of();

    private final String accessKeyId;
    private final String secretAccessKey;

    SigV4Verifier(String accessKeyId, String secretAccessKey) {
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    /** {@code null} when the signature is right, else why not. */
    String problem(FakeRequest request, byte[] body) {
        String authorization = request.header("Authorization");
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            return "Missing Authentication Token";
        }
        String credential = part(authorization, "Credential=");
        String signedHeaders = part(authorization, "SignedHeaders=");
        String signature = part(authorization, "Signature=");
        if (credential == null || signedHeaders == null || signature == null) {
            return "Authorization header requires Credential, SignedHeaders and Signature";
        }
        String[] scope = credential.split("/");
        if (scope.length != 5 || !scope[4].equals("aws4_request")) {
            return "Credential should be scoped to a valid region and service";
        }
        if (!scope[0].equals(accessKeyId)) {
            return "The security token included in the request is invalid.";
        }
        String amzDate = request.header("X-Amz-Date");
        if (amzDate == null || !amzDate.startsWith(scope[1])) {
            return "X-Amz-Date is missing or does not match the credential scope";
        }
        String payloadHash = HEX.formatHex(sha256(body));
        String declared = request.header("X-Amz-Content-Sha256");
        if (declared != null && !declared.equals(payloadHash) && !declared.equals("UNSIGNED-PAYLOAD")) {
            return "The provided 'x-amz-content-sha256' header does not match what was computed.";
        }
        StringBuilder canonicalHeaders = new StringBuilder();
        for (String name : signedHeaders.split(";")) {
            List<String> values = request.headerValues(name);
            if (values.isEmpty()) {
                return "signed header '" + name + "' is missing";
            }
            canonicalHeaders.append(name).append(':')
                    .append(String.join(",", values.stream().map(v -> v.strip().replaceAll(" +", " ")).toList())).append('\n');
        }
        String canonicalRequest = request.method() + "\n" + canonicalUri(request.path()) + "\n" + canonicalQuery(request.query())
                + "\n" + canonicalHeaders + "\n" + signedHeaders + "\n" + (declared != null ? declared : payloadHash);
        String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope[1] + "/" + scope[2] + "/" + scope[3] + "/aws4_request\n"
                + HEX.formatHex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), scope[1]);
        key = hmac(key, scope[2]);
        key = hmac(key, scope[3]);
        key = hmac(key, "aws4_request");
        String expected = HEX.formatHex(hmac(key, stringToSign));
        return expected.equals(signature) ? null
                : "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.";
    }

    private static String part(String authorization, String prefix) {
        for (String piece : authorization.substring("AWS4-HMAC-SHA256 ".length()).split(",")) {
            String trimmed = piece.strip();
            if (trimmed.startsWith(prefix)) {
                return trimmed.substring(prefix.length());
            }
        }
        return null;
    }

    private static String canonicalUri(String rawPath) {
        StringBuilder out = new StringBuilder();
        String[] segments = rawPath.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            if (i > 0) {
                out.append('/');
            }
            out.append(encode(segments[i]));
        }
        return out.toString();
    }

    private static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            pairs.add(encode(k) + "=" + encode(v));
        }
        pairs.sort(null);
        return String.join("&", pairs);
    }

    private static String encode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~') {
                out.append(c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xFF));
            }
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
