/** Implementation of the A2A gateway; not API, may change at any time. */
package dev.agentgateway.a2a.internal;
