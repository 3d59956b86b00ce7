// The tasks extension (io.modelcontextprotocol/tasks, SEP-2663) for the modern fixture: the TypeScript SDK
// v2 (2.4.0) has no tasks support, so this implements the extension's wire by hand on its extension points
// (tool results with resultType "task", custom request handlers): server-directed task creation for
// task-supporting tools when the request declares the extension, tasks/get with the result or error
// inlined, inputRequests answered by tasks/update, tasks/cancel acknowledged. Tasks live in memory for
// this process (the fixture serves each request statelessly).
import * as z from 'zod/v4';
import { ProtocolError, inputRequired, acceptedContent } from '@modelcontextprotocol/server';

export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
const TERMINAL = ['completed', 'failed', 'cancelled'];
const tasks = new Map();
let counter = 0;

const text = (t) => ({ content: [{ type: 'text', text: t }] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => new Date().toISOString();

/** The tools that must run as a task: without the extension they are refused with -32021 before the SDK sees them. */
export const REQUIRED_TASK_TOOLS = ['failing_job', 'test_tool_with_task'];

export function missingExtension(id) {
  return {
    jsonrpc: '2.0', id,
    error: {
      code: -32021, message: `Missing required client capability: the ${TASKS_EXTENSION} extension`,
      data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
    },
  };
}

function newTask() {
  const task = {
    taskId: `task-${process.pid}-${++counter}`, status: 'working', createdAt: now(), lastUpdatedAt: now(),
    ttlMs: 300000, pollIntervalMs: 200, pending: new Map(),
  };
  tasks.set(task.taskId, task);
  return task;
}

function update(task, status, fields = {}) {
  if (TERMINAL.includes(task.status)) return false; // a cancelled task stays cancelled
  Object.assign(task, fields, { status, lastUpdatedAt: now() });
  return true;
}

/** The flat CreateTaskResult (no nested task, no result). */
const created = (task) => ({
  resultType: 'task', taskId: task.taskId, status: task.status, createdAt: task.createdAt,
  lastUpdatedAt: task.lastUpdatedAt, ttlMs: task.ttlMs, pollIntervalMs: task.pollIntervalMs,
});

/** Waits for the client's answer to one input request (tasks/update), the task input_required meanwhile. */
function ask(task, key, request) {
  return new Promise((resolve) => {
    task.pending.set(key, { request, resolve });
    update(task, 'input_required', { statusMessage: 'waiting for input' });
  });
}

const confirm = (message) => ({
  method: 'elicitation/create',
  params: { mode: 'form', message, requestedSchema: { type: 'object', properties: { confirm: { type: 'boolean' } }, required: ['confirm'] } },
});

/** Runs {@code work} as a task when the request declared the extension, else at once (optional tools only). */
function taskTool(declared, work) {
  return async (args, ctx) => {
    if (!declared(ctx)) {
      const task = { pending: new Map(), status: 'working' };
      const outcome = await work(args, task, true);
      return outcome.result ?? { ...text(outcome.error.message), isError: true };
    }
    const task = newTask();
    work(args, task, false).then(
      (outcome) => outcome.error ? update(task, 'failed', { error: outcome.error }) : update(task, 'completed', { result: outcome.result }),
      (e) => update(task, 'failed', { error: { code: -32603, message: String(e?.message ?? e) } }));
    return created(task);
  };
}

/** How many times tasks/get asked for a task (tests read it to see whether a poller stopped); null when unknown. */
export function getsOf(taskId) {
  const task = tasks.get(taskId);
  return task ? task.gets ?? 0 : null;
}

export function registerTaskTools(server, declared) {
  const support = (tool, taskSupport) => { tool.execution = { taskSupport }; }; // registerTool takes no execution field

  support(server.registerTool('greet', { description: 'Sync-only: Hello, {name}!', inputSchema: z.object({ name: z.string() }) },
    async ({ name }) => text(`Hello, ${name}!`)), 'forbidden');

  support(server.registerTool('slow_compute', {
    description: 'Task-supporting: sleeps `seconds`, then answers',
    inputSchema: z.object({ seconds: z.number().default(1), label: z.string().optional() }),
  }, taskTool(declared, async ({ seconds, label }, task) => {
    for (let waited = 0; waited < seconds * 1000 && task.status !== 'cancelled'; waited += 50) await sleep(50);
    return { result: text(`computed ${label ?? ''} after ${seconds}s`) };
  })), 'optional');

  support(server.registerTool('failing_job', { description: 'Task-required: a tool error after ~1 s', inputSchema: z.object({}) },
    taskTool(declared, async () => { await sleep(1000); return { result: { ...text('the job failed'), isError: true } }; })), 'required');

  support(server.registerTool('protocol_error_job', { description: 'Task-supporting: fails with a protocol error', inputSchema: z.object({}) },
    taskTool(declared, async () => { await sleep(300); return { error: { code: -32603, message: 'protocol_error_job crashed' } }; })), 'optional');

  support(server.registerTool('confirm_delete', { description: 'Task-supporting: asks for confirmation', inputSchema: z.object({ path: z.string().optional() }) },
    taskTool(declared, async ({ path }, task) => {
      const answer = await ask(task, 'confirm', confirm(`Delete ${path ?? 'the file'}?`));
      update(task, 'working', { statusMessage: 'confirmed' });
      return { result: text(answer?.action === 'accept' && answer.content?.confirm ? `deleted ${path ?? 'the file'}` : 'kept') };
    })), 'optional');

  support(server.registerTool('multi_input', { description: 'Task-supporting: asks two questions at once', inputSchema: z.object({}) },
    taskTool(declared, async (args, task) => {
      const answers = await Promise.all([ask(task, 'first', confirm('First?')), ask(task, 'second', confirm('Second?'))]);
      update(task, 'working');
      return { result: text(`answers: ${answers.map((a) => a?.action).join(',')}`) };
    })), 'optional');

  // MRTR first (the name), then a task whose result names the user (tasks-mrtr-composition)
  support(server.registerTool('test_tool_with_task', { description: 'Task-required: asks a name by MRTR, then runs as a task', inputSchema: z.object({}) },
    async (args, ctx) => {
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_name');
      if (!answer) {
        return inputRequired({ inputRequests: { user_name: inputRequired.elicit({ message: 'What is your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } }) } });
      }
      const task = newTask();
      sleep(200).then(() => update(task, 'completed', { result: text(`Hello from a task, ${answer.name}!`) }));
      return created(task);
    }), 'required');
}

export function registerTaskMethods(server, declared) {
  const guard = (ctx) => {
    if (!declared(ctx)) throw new ProtocolError(-32021, `Missing required client capability: the ${TASKS_EXTENSION} extension`,
      { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } });
  };
  const find = (taskId) => {
    const task = tasks.get(taskId);
    if (!task) throw new ProtocolError(-32602, `Unknown task: ${taskId}`);
    return task;
  };
  const ack = () => ({ resultType: 'complete' });
  server.server.setRequestHandler('tasks/get', { params: z.looseObject({ taskId: z.string() }) }, (params, ctx) => {
    guard(ctx);
    const task = find(params.taskId);
    task.gets = (task.gets ?? 0) + 1;
    const detailed = {
      resultType: 'complete', taskId: task.taskId, status: task.status, createdAt: task.createdAt,
      lastUpdatedAt: task.lastUpdatedAt, ttlMs: task.ttlMs, pollIntervalMs: task.pollIntervalMs,
    };
    if (task.statusMessage) detailed.statusMessage = task.statusMessage;
    if (task.status === 'input_required') detailed.inputRequests = Object.fromEntries([...task.pending].map(([k, v]) => [k, v.request]));
    if (task.status === 'completed') detailed.result = task.result;
    if (task.status === 'failed') detailed.error = task.error;
    return detailed;
  });
  // the SDK lifts inputResponses out of the params (as for MRTR retries): they are read from the context
  server.server.setRequestHandler('tasks/update', { params: z.looseObject({ taskId: z.string() }) }, (params, ctx) => {
    guard(ctx);
    const task = find(params.taskId);
    const responses = ctx.mcpReq.inputResponses ?? params.inputResponses;
    if (!responses || typeof responses !== 'object') throw new ProtocolError(-32602, 'tasks/update needs inputResponses');
    for (const [key, response] of Object.entries(responses)) {
      const waiting = task.pending.get(key);
      if (waiting) { task.pending.delete(key); waiting.resolve(response); }
    }
    if (task.status === 'input_required' && task.pending.size === 0) update(task, 'working');
    return ack();
  });
  server.server.setRequestHandler('tasks/cancel', { params: z.looseObject({ taskId: z.string() }) }, (params, ctx) => {
    guard(ctx);
    const task = find(params.taskId);
    update(task, 'cancelled', { statusMessage: 'cancelled by the client' });
    for (const waiting of task.pending.values()) waiting.resolve(undefined);
    task.pending.clear();
    return ack();
  });
}
