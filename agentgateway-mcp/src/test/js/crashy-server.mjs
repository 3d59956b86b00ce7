// A stdio MCP server (TypeScript SDK) that can be told to crash mid-call, for restart tests.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";
import { existsSync, writeFileSync } from "node:fs";

const server = new McpServer({ name: "crashy", version: "1.0.0" });
server.registerTool("echo", { description: "Echoes", inputSchema: { text: z.string() } },
  async ({ text }) => ({ content: [{ type: "text", text }] }));
server.registerTool("pid", { description: "The process id", inputSchema: {} },
  async () => ({ content: [{ type: "text", text: String(process.pid) }] }));
server.registerTool("env", { description: "An environment variable and the working directory", inputSchema: {} },
  async () => ({ content: [{ type: "text", text: `${process.env.AGW_TEST_VAR}|${process.cwd()}` }] }));
server.registerTool("crash", { description: "Exits the process while the call is in flight", inputSchema: {} },
  async () => {
    setTimeout(() => process.exit(3), 50);
    return new Promise(() => {});
  });
// Read while the marker file (AGW_CRASH_MARKER) does not exist: creates it and exits mid-read; later reads answer.
server.registerResource("crash-once", "crash://once", { mimeType: "text/plain" }, async (uri) => {
  const marker = process.env.AGW_CRASH_MARKER;
  if (marker && !existsSync(marker)) {
    writeFileSync(marker, String(process.pid));
    setTimeout(() => process.exit(3), 50);
    return new Promise(() => {});
  }
  return { contents: [{ uri: uri.href, mimeType: "text/plain", text: `survived in ${process.pid}` }] };
});
await server.connect(new StdioServerTransport());
console.error(`crashy server ${process.pid} ready`);
