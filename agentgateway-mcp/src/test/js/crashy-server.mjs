// A stdio MCP server (TypeScript SDK) that can be told to crash mid-call, for restart tests.
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

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
await server.connect(new StdioServerTransport());
console.error(`crashy server ${process.pid} ready`);
