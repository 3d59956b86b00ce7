/**
 * Server-sent events: an incremental parser, a blocking reader over Jetty content sources and the
 * event type, shared by the protocol modules (MCP Streamable HTTP, A2A streams, LLM streaming).
 */
package dev.agentgateway.core.sse;
