// Drives the gateway with the official MCP TypeScript SDK client and prints one JSON line of results.
// Usage: node ts-client.mjs <gateway MCP URL> <http|sse> <comma-separated target names>
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import {
  CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, ResourceUpdatedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";

const [url, transportKind, targetList] = process.argv.slice(2);
const targets = targetList.split(",");
const out = { transport: transportKind, errors: [] };
let dropped = 0;

// Cuts the event stream of one POST after its first progress event, as a flaky network would, so the
// client has to resume with GET + Last-Event-ID.
const droppingFetch = async (input, init) => {
  const response = await fetch(input, init);
  const body = typeof init?.body === "string" ? init.body : "";
  const type = response.headers.get("content-type") ?? "";
  if (init?.method !== "POST" || !body.includes("drop-me") || !type.includes("text/event-stream")) {
    return response;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  const cut = new ReadableStream({
    async pull(controller) {
      const { value, done } = await reader.read();
      if (done) { controller.close(); return; }
      controller.enqueue(value);
      seen += decoder.decode(value, { stream: true });
      if (seen.includes("notifications/progress") && seen.endsWith("\n\n")) {
        dropped++;
        await reader.cancel();
        controller.close();
      }
    },
  });
  return new Response(cut, { status: response.status, headers: response.headers });
};

const client = new Client({ name: "ts-interop", version: "1.0.0" },
  { capabilities: { sampling: {}, elicitation: { form: {} }, roots: { listChanged: true } } });
let samplingRequests = 0;
client.setRequestHandler(CreateMessageRequestSchema, async (request) => {
  samplingRequests++;
  await new Promise(resolve => setTimeout(resolve, 20));
  return { role: "assistant", model: "canned", content: { type: "text", text: "canned answer 42" } };
});
let elicitations = 0;
client.setRequestHandler(ElicitRequestSchema, async () => {
  elicitations++;
  return { action: "accept", content: { name: "Ada", check: true, firstLine: "It was a dark night", integer: 7, number: 1.5, enum: "Blue" } };
});
client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: "file:///tmp/interop", name: "interop" }] }));
const updates = [];
client.setNotificationHandler(ResourceUpdatedNotificationSchema, n => { updates.push(n.params.uri); });

const transport = transportKind === "sse"
  ? new SSEClientTransport(new URL(url))
  : new StreamableHTTPClientTransport(new URL(url), {
      fetch: droppingFetch,
      reconnectionOptions: { initialReconnectionDelay: 100, maxReconnectionDelay: 1000, reconnectionDelayGrowFactor: 1.5, maxRetries: 5 },
    });

async function step(name, fn) {
  try {
    out[name] = await fn();
  } catch (e) {
    out.errors.push(`${name}: ${e?.message ?? e}`);
  }
}

const text = result => result.content?.map(c => c.text ?? `[${c.type}]`).join(" ");

try {
  await client.connect(transport);
  out.serverInfo = client.getServerVersion();
  out.capabilities = client.getServerCapabilities();
  await step("tools", async () => (await client.listTools()).tools.map(t => t.name));
  await step("echo", async () => Promise.all(targets.map(async t =>
    text(await client.callTool({ name: `${t}_echo`, arguments: { message: `hi ${t}` } })))));
  await step("sampling", async () => Promise.all(targets.map(async t =>
    text(await client.callTool({ name: `${t}_trigger-sampling-request`, arguments: { prompt: "what is 6x7?", maxTokens: 10 } })))));
  await step("elicitation", async () => Promise.all(targets.map(async t =>
    text(await client.callTool({ name: `${t}_trigger-elicitation-request`, arguments: {} })))));
  await step("roots", async () => Promise.all(targets.map(async t =>
    text(await client.callTool({ name: `${t}_get-roots-list`, arguments: {} })))));
  await step("progress", async () => Promise.all(targets.map(async t => {
    const seen = [];
    const result = await client.callTool({ name: `${t}_trigger-long-running-operation`, arguments: { duration: 1, steps: 4 } },
      undefined, { onprogress: p => seen.push(p.progress), timeout: 30000 });
    return { progress: seen, text: text(result) };
  })));
  await step("prompts", async () => {
    const prompts = (await client.listPrompts()).prompts.map(p => p.name);
    const got = await Promise.all(targets.map(async t => (await client.getPrompt({ name: `${t}_simple-prompt` })).messages.length));
    return { prompts, got };
  });
  await step("resources", async () => {
    const listed = (await client.listResources()).resources.map(r => r.uri);
    const templates = (await client.listResourceTemplates()).resourceTemplates.map(r => r.uriTemplate);
    const read = await Promise.all(targets.map(async t =>
      (await client.readResource({ uri: `${t}+demo://resource/dynamic/text/1` })).contents[0].uri));
    return { listed, templates, read };
  });
  await step("subscriptions", async () => {
    for (const t of targets) {
      await client.subscribeResource({ uri: `${t}+demo://resource/static/document/architecture.md` });
    }
    for (const t of targets) {
      await client.callTool({ name: `${t}_toggle-subscriber-updates`, arguments: {} });
    }
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline && targets.some(t => !updates.some(u => u.startsWith(`${t}+`)))) {
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    for (const t of targets) {
      await client.callTool({ name: `${t}_toggle-subscriber-updates`, arguments: {} });
    }
    return [...new Set(updates)];
  });
  await step("concurrent", async () => {
    const calls = [];
    for (let i = 0; i < 8; i++) {
      for (const t of targets) {
        calls.push(client.callTool({ name: `${t}_trigger-sampling-request`, arguments: { prompt: `q${i}`, maxTokens: 5 } })
          .then(r => text(r).includes("canned answer 42") ? "ok" : `bad: ${text(r)}`, e => `error: ${e.message}`));
      }
      calls.push(client.callTool({ name: `${targets[0]}_echo`, arguments: { message: `m${i}` } })
        .then(r => text(r) === `Echo: m${i}` ? "ok" : `bad: ${text(r)}`, e => `error: ${e.message}`));
    }
    const results = await Promise.all(calls);
    return { total: results.length, ok: results.filter(r => r === "ok").length, failures: results.filter(r => r !== "ok") };
  });
  if (transportKind === "http") {
    await step("resumed", async () => {
      const seen = [];
      const result = await client.callTool(
        { name: `${targets[0]}_trigger-long-running-operation`, arguments: { duration: 2, steps: 5 }, _meta: { note: "drop-me" } },
        undefined, { onprogress: p => seen.push(p.progress), timeout: 30000 });
      return { dropped, progress: seen, text: text(result) };
    });
  }
  out.samplingRequests = samplingRequests;
  out.elicitations = elicitations;
  await client.close();
} catch (e) {
  out.errors.push(`fatal: ${e?.stack ?? e}`);
}
console.log(JSON.stringify(out));
process.exit(0);
