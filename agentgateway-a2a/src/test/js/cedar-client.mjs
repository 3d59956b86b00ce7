// The @a2a-js/sdk v1.0 JSON-RPC client as one caller of a Cedar-guarded agent route: reads the card's
// skills through the gateway, then sends a message and reads its task. Prints one JSON line.
// Env: AGENT_BASE (the route's base URL), AGENT_API_KEY (sent as x-api-key on every request).
import { randomUUID } from 'node:crypto';
import { Role } from '@a2a-js/sdk';
import { ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory } from '@a2a-js/sdk/client';

const base = process.env.AGENT_BASE;
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const headers = new Headers(init?.headers ?? (typeof input === 'string' ? undefined : input.headers));
  headers.set('x-api-key', process.env.AGENT_API_KEY);
  return realFetch(input, { ...init, headers });
};
const out = {};
const ask = (t) => ({
  tenant: '', metadata: {}, configuration: undefined,
  message: { messageId: randomUUID(), role: Role.ROLE_USER, taskId: '', contextId: '', extensions: [], metadata: {},
             referenceTaskIds: [], parts: [{ content: { $case: 'text', value: t }, mediaType: 'text/plain', filename: '', metadata: undefined }] },
});
try {
  const card = await (await fetch(`${base}/.well-known/agent-card.json`, { headers: { 'A2A-Version': '1.0' } })).json();
  out.skills = (card.skills ?? []).map((s) => s.id);
  const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
    transports: [new JsonRpcTransportFactory()], preferredTransports: ['JSONRPC'] }));
  const client = await factory.createFromUrl(`${base}/`);
  try {
    const sent = await client.sendMessage(ask('hello'));
    const task = sent.id ? sent : sent.task ?? sent;
    out.sent = task.artifacts?.[0]?.parts?.map((p) => p.content?.value ?? '').join('') ?? null;
    const got = await client.getTask({ tenant: '', id: task.id, historyLength: undefined });
    out.got = got.id === task.id;
  } catch (e) {
    out.refused = { name: e?.constructor?.name, code: e?.code ?? null, message: String(e?.message ?? e) };
  }
} catch (e) {
  out.error = String(e?.stack ?? e);
}
console.log(JSON.stringify(out));
