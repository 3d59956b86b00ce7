// A legacy (2025-11-25) MCP server over stdio with task-based tools, on the official TypeScript SDK v1's
// experimental tasks API: the tools the conformance suite's tasks-* scenarios (SEP-2663) call, so that
// the gateway's modern face can be checked bridging the 2026 tasks extension onto legacy tasks.
// Usage: node legacy-tasks-fixture.mjs
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { InMemoryTaskStore, InMemoryTaskMessageQueue } from "@modelcontextprotocol/sdk/experimental/tasks";
import { ElicitResultSchema } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";

const server = new McpServer({ name: "legacy-tasks-fixture", version: "1.0.0" }, {
  capabilities: { tools: {}, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
  taskStore: new InMemoryTaskStore(),
  taskMessageQueue: new InMemoryTaskMessageQueue(),
});

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));
const text = value => ({ content: [{ type: "text", text: value }] });

// Stores a result unless the task ended meanwhile (a cancelled task stays cancelled).
async function finish(store, taskId, status, result) {
  const task = await store.getTask(taskId);
  if (task && !["completed", "failed", "cancelled"].includes(task.status)) {
    await store.storeTaskResult(taskId, status, result);
  }
}

// A task tool whose work runs in the background after the task is created.
function taskTool(name, taskSupport, inputSchema, work) {
  server.experimental.tasks.registerToolTask(name, { inputSchema, execution: { taskSupport } }, {
    createTask: async (args, extra) => {
      const task = await extra.taskStore.createTask({ ttl: 300000, pollInterval: 200 });
      work(args, task.taskId, extra).catch(async error => {
        await extra.taskStore.updateTaskStatus(task.taskId, "failed", String(error?.message ?? error)).catch(() => {});
      });
      return { task };
    },
    getTask: async (args, extra) => extra.taskStore.getTask(extra.taskId),
    getTaskResult: async (args, extra) => extra.taskStore.getTaskResult(extra.taskId),
  });
}

const confirm = (extra, taskId, message) => extra.sendRequest({
  method: "elicitation/create",
  params: { message, requestedSchema: { type: "object", properties: { confirm: { type: "boolean" } }, required: ["confirm"] } },
}, ElicitResultSchema, { relatedTask: { taskId } });

server.registerTool("greet", { inputSchema: { name: z.string() } }, async ({ name }) => text(`Hello, ${name}!`));

taskTool("slow_compute", "optional", { seconds: z.number().default(1), label: z.string().optional() },
  async ({ seconds, label }, taskId, extra) => {
    await sleep(seconds * 1000);
    await finish(extra.taskStore, taskId, "completed", text(`computed ${label ?? ""} after ${seconds}s`));
  });

taskTool("failing_job", "required", {}, async (args, taskId, extra) => {
  await sleep(1000);
  await finish(extra.taskStore, taskId, "completed", { ...text("the job failed"), isError: true });
});

taskTool("protocol_error_job", "optional", {}, async () => {
  await sleep(300);
  throw new Error("protocol_error_job crashed");
});

taskTool("confirm_delete", "optional", { path: z.string().optional() }, async ({ path }, taskId, extra) => {
  await extra.taskStore.updateTaskStatus(taskId, "input_required", "waiting for confirmation");
  const answer = await confirm(extra, taskId, `Delete ${path ?? "the file"}?`);
  await extra.taskStore.updateTaskStatus(taskId, "working", "confirmed");
  await finish(extra.taskStore, taskId, "completed",
    text(answer.action === "accept" && answer.content?.confirm ? `deleted ${path ?? "the file"}` : "kept"));
});

taskTool("multi_input", "optional", {}, async (args, taskId, extra) => {
  await extra.taskStore.updateTaskStatus(taskId, "input_required", "waiting for two answers");
  const answers = await Promise.all([confirm(extra, taskId, "First?"), confirm(extra, taskId, "Second?")]);
  await finish(extra.taskStore, taskId, "completed", text(`answers: ${answers.map(a => a.action).join(",")}`));
});

// Asks for the user's name on the call itself (a legacy server request: MRTR for a modern client), then
// continues as a task whose result names the user.
server.experimental.tasks.registerToolTask("test_tool_with_task", { inputSchema: {}, execution: { taskSupport: "required" } }, {
  createTask: async (args, extra) => {
    const answer = await extra.sendRequest({
      method: "elicitation/create",
      params: { message: "What is your name?", requestedSchema: { type: "object", properties: { name: { type: "string" } }, required: ["name"] } },
    }, ElicitResultSchema);
    const task = await extra.taskStore.createTask({ ttl: 300000, pollInterval: 200 });
    const name = answer.content?.name ?? "nobody";
    sleep(200).then(() => finish(extra.taskStore, task.taskId, "completed", text(`Hello from a task, ${name}!`)));
    return { task };
  },
  getTask: async (args, extra) => extra.taskStore.getTask(extra.taskId),
  getTaskResult: async (args, extra) => extra.taskStore.getTaskResult(extra.taskId),
});

await server.connect(new StdioServerTransport());
