// The @a2a-js/sdk client side of the interop tests: discovers the agent's card through the gateway and
// sends, streams, gets and cancels tasks over v1.0 JSON-RPC, v1.0 REST, v0.3 JSON-RPC and v0.3 REST.
// Every fetch the SDK makes is recorded (globalThis.fetch is wrapped), so the test can prove that all of
// them went to the gateway. Prints one JSON line: {"fetched":[urls], "runs":{name:{...}}} or {"error":...}.
import { randomUUID } from 'node:crypto';
import { Role, TaskState } from '@a2a-js/sdk';
import { ClientFactory, ClientFactoryOptions, JsonRpcTransportFactory, RestTransportFactory } from '@a2a-js/sdk/client';
import { LegacyJsonRpcTransport, LegacyRestTransport } from '@a2a-js/sdk/compat/v0_3/client';

const base = process.env.AGENT_BASE;
const fetched = [];
const realFetch = globalThis.fetch;
// AGENT_API_KEY, when set, is sent as x-api-key on every request (an authenticated route); with
// AGENT_CARD_ANONYMOUS also set, not on public card fetches (/.well-known/...), which then go without it.
const apiKey = process.env.AGENT_API_KEY;
const anonymousCard = !!process.env.AGENT_CARD_ANONYMOUS;
globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input.url ?? String(input);
  fetched.push(url);
  if (apiKey && !(anonymousCard && url.includes('/.well-known/'))) {
    const headers = new Headers(init?.headers ?? (typeof input === 'string' ? undefined : input.headers));
    headers.set('x-api-key', apiKey);
    init = { ...init, headers };
  }
  return realFetch(input, init);
};

const ask = (t, returnImmediately = false) => ({
  tenant: '', metadata: {},
  configuration: returnImmediately
    ? { acceptedOutputModes: [], taskPushNotificationConfig: undefined, historyLength: undefined, returnImmediately: true }
    : undefined,
  message: { messageId: randomUUID(), role: Role.ROLE_USER, taskId: '', contextId: '', extensions: [], metadata: {},
             referenceTaskIds: [], parts: [{ content: { $case: 'text', value: t }, mediaType: 'text/plain', filename: '', metadata: undefined }] },
});
const stateName = (s) => TaskState[s] ?? String(s);
const textOf = (task) => task?.artifacts?.[0]?.parts?.map((p) => p.content?.value ?? '').join('') ?? null;

async function exercise(client) {
  const sent = await client.sendMessage(ask('hello'));
  const task = sent.id ? sent : sent.task ?? sent;
  const events = [];
  let streamTaskId = null;
  for await (const ev of client.sendMessageStream(ask('slow:3'))) {
    const payload = ev.payload ?? ev;
    const kind = payload.$case ?? 'unknown';
    if (kind === 'task') streamTaskId = payload.value.id;
    events.push({ kind, at: Date.now(), state: payload.value?.status ? stateName(payload.value.status.state) : null });
  }
  const got = await client.getTask({ tenant: '', id: task.id, historyLength: undefined });
  const waiting = await client.sendMessage(ask('wait', true));
  const waitingTask = waiting.id ? waiting : waiting.task ?? waiting;
  // Subscribe to the running task, cancel it while subscribed, and follow the subscription to its end.
  const subscription = client.resubscribeTask({ tenant: '', id: waitingTask.id })[Symbol.asyncIterator]();
  const first = await subscription.next();
  const subscribed = [first.value?.payload?.$case ?? 'none'];
  const canceled = await client.cancelTask({ tenant: '', id: waitingTask.id, metadata: {} });
  let lastState = null;
  for (let next = await subscription.next(); !next.done; next = await subscription.next()) {
    const payload = next.value.payload;
    subscribed.push(payload.$case);
    if (payload.value?.status) lastState = stateName(payload.value.status.state);
  }
  return { sentState: stateName(task.status?.state), sentText: textOf(task), streamTaskId, events,
           gotState: stateName(got.status?.state), gotText: textOf(got),
           waitingState: stateName(waitingTask.status?.state), canceledState: stateName(canceled.status?.state),
           subscribed, subscriptionEndState: lastState };
}

async function v10(binding) {
  const factory = new ClientFactory(ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
    transports: [new JsonRpcTransportFactory(), new RestTransportFactory()], preferredTransports: [binding] }));
  return exercise(await factory.createFromUrl(`${base}/`)); // a base without its slash loses its last segment
}

async function v03(binding) {
  const card = await (await fetch(`${base}/.well-known/agent-card.json`)).json();  // no A2A-Version: the v0.3 view
  const endpoint = binding === 'JSONRPC' ? card.url
    : card.additionalInterfaces.find((i) => i.transport === 'HTTP+JSON').url;
  const transport = binding === 'JSONRPC' ? new LegacyJsonRpcTransport({ endpoint }) : new LegacyRestTransport({ endpoint });
  return { cardProtocolVersion: card.protocolVersion, endpoint, ...(await exercise(transport)) };
}

try {
  const runs = {
    v10_jsonrpc: await v10('JSONRPC'),
    v10_rest: await v10('HTTP+JSON'),
    v03_jsonrpc: await v03('JSONRPC'),
    v03_rest: await v03('HTTP+JSON'),
  };
  console.log(JSON.stringify({ fetched, runs }));
} catch (e) {
  console.log(JSON.stringify({ fetched, error: String(e?.stack ?? e) }));
  process.exitCode = 1;
}
