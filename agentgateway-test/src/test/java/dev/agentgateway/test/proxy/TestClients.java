package dev.agentgateway.test.proxy;

import java.net.http.HttpClient;
import java.time.Duration;

import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;

/** Clients for tests that need what the JDK client will not do (set Host, speak h2c with prior knowledge). */
final class TestClients {
    private TestClients() {
    }

    static HttpClient jdk() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    static org.eclipse.jetty.client.HttpClient jettyHttp1() throws Exception {
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient(new HttpClientTransportOverHTTP());
        client.setFollowRedirects(false);
        client.start();
        client.getContentDecoderFactories().clear();
        return client;
    }

    static org.eclipse.jetty.client.HttpClient jettyH2c() throws Exception {
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client()));
        client.start();
        return client;
    }
}
