package dev.agentgateway.llm;

/**
 * Supplies OAuth 2 access tokens for providers that authenticate with a bearer token from an identity
 * platform: Google Cloud (Vertex AI, scope {@code https://www.googleapis.com/auth/cloud-platform}) or
 * Microsoft Entra ID (Azure OpenAI). Called before every upstream request, so an implementation caches
 * its token and refreshes it shortly before it expires.
 *
 * <pre>{@code
 * // With google-auth-library-java on the class path:
 * GoogleCredentials credentials = GoogleCredentials.getApplicationDefault()
 *         .createScoped("https://www.googleapis.com/auth/cloud-platform");
 * AccessTokenSupplier tokens = () -> {
 *     credentials.refreshIfExpired();
 *     return credentials.getAccessToken().getTokenValue();
 * };
 * }</pre>
 */
@FunctionalInterface
public interface AccessTokenSupplier {

    /** A currently valid access token (without the {@code Bearer } prefix). */
    String accessToken() throws Exception;
}
