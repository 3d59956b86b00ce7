/**
 * Policies for agentgateway: authentication ({@link dev.agentgateway.policy.auth}) and the MCP
 * authorization specification ({@link dev.agentgateway.policy.oauth}).
 */
package dev.agentgateway.policy;
