// The official MCP TypeScript SDK client as one authorised caller of a Cedar-guarded gateway.
// Usage: node ts-authz-client.mjs <gateway MCP URL> <API key> <calls as JSON: [[tool, arguments], ...]>
// Prints one JSON line: every tool, prompt and resource the caller can list (all pages), and the
// outcome of each call (its text, or the JSON-RPC error code and message).
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, key, callsJson] = process.argv.slice(2);
const out = { tools: [], prompts: [], resources: [], calls: [], errors: [] };
const client = new Client({ name: "ts-authz", version: "1.0.0" }, { capabilities: {} });
const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { Authorization: `Bearer ${key}` } } });

async function all(list, field, pick) {
  const names = [];
  let cursor;
  do {
    const page = await list(cursor ? { cursor } : {});
    for (const item of page[field]) names.push(pick(item));
    cursor = page.nextCursor;
  } while (cursor);
  return names;
}

try {
  await client.connect(transport);
  out.tools = await all(p => client.listTools(p), "tools", t => t.name);
  out.prompts = await all(p => client.listPrompts(p), "prompts", t => t.name);
  out.resources = await all(p => client.listResources(p), "resources", r => r.uri);
  for (const [name, args] of JSON.parse(callsJson)) {
    try {
      const result = await client.callTool({ name, arguments: args });
      out.calls.push({ name, text: result.content?.[0]?.text ?? null, isError: result.isError ?? false });
    } catch (e) {
      out.calls.push({ name, code: e.code ?? null, message: e.message });
    }
  }
  await client.close();
} catch (e) {
  out.errors.push(String(e?.stack ?? e));
}
console.log(JSON.stringify(out));
