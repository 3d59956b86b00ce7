// Drives the gateway's task routing (MCP 2025-11-25 tasks) with the official TypeScript SDK client's
// experimental task API against server-everything's simulate-research-query, and prints one JSON line.
// Usage: node ts-tasks-client.mjs <gateway MCP URL> <tool name as the gateway lists it>
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";

const [url, tool] = process.argv.slice(2);
const out = { errors: [] };

const client = new Client({ name: "ts-tasks", version: "1.0.0" }, { capabilities: { elicitation: { form: {} } } });
const elicitations = [];
client.setRequestHandler(ElicitRequestSchema, async request => {
  elicitations.push({ relatedTask: request.params._meta?.["io.modelcontextprotocol/related-task"]?.taskId ?? null });
  return { action: "accept", content: { interpretation: "programming" } };
});

async function step(name, fn) {
  try {
    out[name] = await fn();
  } catch (e) {
    out.errors.push(`${name}: ${e?.message ?? e}`);
  }
}

// One task-augmented call, observed the way the SDK's callToolStream reports it.
async function research(args) {
  const seen = { statuses: [] };
  const stream = client.experimental.tasks.callToolStream({ name: tool, arguments: args }, undefined,
    { task: { ttl: 60000 }, timeout: 60000 });
  for await (const message of stream) {
    switch (message.type) {
      case "taskCreated": seen.taskId = message.task.taskId; break;
      case "taskStatus": seen.statuses.push(message.task.status); break;
      case "result": seen.text = message.result.content?.map(c => c.text).join(" "); break;
      case "error": seen.error = message.error.message; break;
    }
  }
  return seen;
}

try {
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  out.capabilities = client.getServerCapabilities();
  await step("tools", async () => (await client.listTools()).tools
    .filter(t => t.name === tool).map(t => ({ name: t.name, taskSupport: t.execution?.taskSupport ?? null })));
  await step("plain", () => research({ topic: "gateways" }));
  await step("clarified", async () => ({ ...(await research({ topic: "python", ambiguous: true })), elicitations }));
  await step("listed", async () => (await client.experimental.tasks.listTasks()).tasks.map(t => t.taskId));
  await step("cancelled", async () => {
    // the task is started by hand, so that it is still working when it is cancelled
    const created = await client.request({ method: "tools/call", params: { name: tool, arguments: { topic: "cancel me" }, task: { ttl: 60000 } } },
      (await import("@modelcontextprotocol/sdk/types.js")).CreateTaskResultSchema);
    const taskId = created.task.taskId;
    await client.experimental.tasks.cancelTask(taskId);
    return { taskId, status: (await client.experimental.tasks.getTask(taskId)).status };
  });
  await step("unknown", async () => {
    try {
      await client.experimental.tasks.getTask("no-such-task");
      return "answered";
    } catch (e) {
      return { code: e.code, message: e.message };
    }
  });
} catch (e) {
  out.errors.push(`connect: ${e?.message ?? e}`);
} finally {
  await client.close().catch(() => {});
}
console.log(JSON.stringify(out));
process.exit(0);
