// The @a2a-js/sdk v1.0 JSON-RPC client against a rate-limited agent route: sends MESSAGES messages, then
// one streaming message, then reads the first task back, and reports what the SDK returned or threw for
// each. The SDK hides HTTP, so globalThis.fetch is wrapped to keep the status and the rate-limit headers
// of every JSON-RPC answer. Prints one JSON line: {"sent":[...],"stream":{...},"got":{...},"http":[...]}
// or {"error":...}. Env: AGENT_BASE (the route's base URL), MESSAGES (how many to send), SKILL (when set,
// named in each message's metadata as skillId, as a client that picks one of the card's skills does).
import { randomUUID } from 'node:crypto';
import { Role } from '@a2a-js/sdk';
import { ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory } from '@a2a-js/sdk/client';

const base = process.env.AGENT_BASE;
const http = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const response = await realFetch(input, init);
  if (init?.method === 'POST') {
    const h = (name) => response.headers.get(name);
    http.push({ status: response.status, contentType: h('content-type'), retryAfter: h('retry-after'),
                rateLimit: h('ratelimit'), rateLimitPolicy: h('ratelimit-policy') });
  }
  return response;
};
const ask = (t) => ({
  tenant: '', metadata: {}, configuration: undefined,
  message: { messageId: randomUUID(), role: Role.ROLE_USER, taskId: '', contextId: '', extensions: [],
             metadata: process.env.SKILL ? { skillId: process.env.SKILL } : {},
             referenceTaskIds: [], parts: [{ content: { $case: 'text', value: t }, mediaType: 'text/plain', filename: '', metadata: undefined }] },
});
// What the SDK threw, as far as it tells: its class, the JSON-RPC code and data it read, the message.
const thrown = (e) => ({ refused: { name: e?.name ?? e?.constructor?.name, envelopeCode: e?.envelopeCode ?? null,
                                    data: e?.data ?? null, message: String(e?.message ?? e) } });
const attempt = async (call) => { try { return await call(); } catch (e) { return thrown(e); } };
const textOf = (task) => task?.artifacts?.[0]?.parts?.map((p) => p.content?.value ?? '').join('') ?? null;

try {
  const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
    transports: [new JsonRpcTransportFactory()], preferredTransports: ['JSONRPC'] }));
  const client = await factory.createFromUrl(`${base}/`);
  const sent = [];
  let firstTaskId = null;
  for (let i = 1; i <= Number(process.env.MESSAGES); i++) {
    sent.push(await attempt(async () => {
      const answer = await client.sendMessage(ask(`message ${i}`));
      const task = answer.id ? answer : answer.task ?? answer;
      firstTaskId ??= task.id;
      return { text: textOf(task) };
    }));
  }
  const stream = await attempt(async () => {
    const events = [];
    for await (const ev of client.sendMessageStream(ask('streamed'))) events.push((ev.payload ?? ev).$case ?? 'unknown');
    return { events };
  });
  const got = await attempt(async () => ({ same: (await client.getTask({ tenant: '', id: firstTaskId, historyLength: undefined })).id === firstTaskId }));
  console.log(JSON.stringify({ sent, stream, got, http }));
} catch (e) {
  console.log(JSON.stringify({ error: String(e?.stack ?? e), http }));
}
