// A real @a2a-js/sdk agent for the gateway tests, serving A2A v1.0 and (through the SDK's compat layer)
// v0.3 over JSON-RPC (/rpc) and REST (/rest), with streaming and push notifications.
// Prints one JSON line per fact on stdout: {"listening":port}, {"request":{...}} for every HTTP request
// it receives, {"published":{...}} with the time of every stream event it emits.
// Behaviour by message text: "slow:N" emits N artifact updates 300 ms apart; "wait" stays WORKING until
// cancelled; anything else is upper-cased at once.
import express from 'express';
import { randomUUID } from 'node:crypto';
import { AGENT_CARD_PATH, TaskState } from '@a2a-js/sdk';
import { DefaultRequestHandler, InMemoryTaskStore, InMemoryPushNotificationStore, DefaultPushNotificationSender, AgentEvent }
  from '@a2a-js/sdk/server';
import { agentCardHandler, jsonRpcHandler, restHandler, UserBuilder } from '@a2a-js/sdk/server/express';
import { duplicateInterfacesForLegacy } from '@a2a-js/sdk/compat/v0_3';

const say = (fact) => process.stdout.write(JSON.stringify(fact) + '\n');
const now = () => new Date().toISOString();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const text = (t) => ({ content: { $case: 'text', value: t }, mediaType: 'text/plain', filename: '', metadata: undefined });

const app = express();
app.use((req, _res, next) => {
  say({ request: { method: req.method, url: req.originalUrl, forwardedHost: req.header('x-forwarded-host') ?? null,
                   version: req.header('a2a-version') ?? null, userAgent: req.header('user-agent') ?? null } });
  next();
});

const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const self = `http://127.0.0.1:${server.address().port}`;
  const card = {
    name: 'Shouter', description: 'Upper-cases text', version: '1.0.0',
    supportedInterfaces: duplicateInterfacesForLegacy([
      { url: `${self}/rpc`, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' },
      { url: `${self}/rest`, protocolBinding: 'HTTP+JSON', tenant: '', protocolVersion: '1.0' },
      { url: `${self}/grpc`, protocolBinding: 'GRPC', tenant: '', protocolVersion: '1.0' },
    ], ['JSONRPC', 'HTTP+JSON']),
    provider: { organization: 'agentgateway tests', url: 'https://example.org' },
    iconUrl: '', documentationUrl: '',
    capabilities: { streaming: true, pushNotifications: true, extensions: [], extendedAgentCard: false },
    securitySchemes: {}, securityRequirements: [],
    signatures: [{ protected: 'eyJhbGciOiJFUzI1NiJ9', signature: 'c2lnbmVk', header: undefined }],
    defaultInputModes: ['text/plain'], defaultOutputModes: ['text/plain'],
    skills: [{ id: 'shout', name: 'Shout', description: 'upper-cases text', tags: ['text'],
               examples: [], inputModes: [], outputModes: [], securityRequirements: [] }],
  };

  const waiting = new Map();
  const executor = {
    async execute({ taskId, contextId, userMessage, task }, bus) {
      const said = userMessage.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')).join('');
      const status = (s) => ({ taskId, contextId, status: { state: s, timestamp: now() }, metadata: {} });
      const publish = (event, label) => { say({ published: { taskId, label, at: Date.now() } }); bus.publish(event); };
      publish(AgentEvent.task(task ?? { id: taskId, contextId, artifacts: [], history: [userMessage], metadata: {},
                                       status: { state: TaskState.TASK_STATE_SUBMITTED, timestamp: now() } }), 'task');
      publish(AgentEvent.statusUpdate(status(TaskState.TASK_STATE_WORKING)), 'working');
      if (said === 'wait') {
        await new Promise((resolve) => waiting.set(taskId, resolve));
        publish(AgentEvent.statusUpdate(status(TaskState.TASK_STATE_CANCELED)), 'canceled');
        bus.finished();
        return;
      }
      const chunks = said.startsWith('slow:') ? Number(said.slice(5)) : 1;
      for (let i = 0; i < chunks; i++) {
        if (said.startsWith('slow:')) await sleep(300);
        publish(AgentEvent.artifactUpdate({ taskId, contextId, append: i > 0, lastChunk: i === chunks - 1, metadata: undefined,
          artifact: { artifactId: `${taskId}-out`, name: 'shout', description: '', parts: [text(said.toUpperCase())],
                      metadata: undefined, extensions: [] } }), `artifact-${i}`);
      }
      publish(AgentEvent.statusUpdate(status(TaskState.TASK_STATE_COMPLETED)), 'completed');
      bus.finished();
    },
    async cancelTask(taskId) {
      const resolve = waiting.get(taskId);
      waiting.delete(taskId);
      if (resolve) resolve();
    },
  };

  const pushStore = new InMemoryPushNotificationStore();
  const handler = new DefaultRequestHandler(card, new InMemoryTaskStore(), executor, undefined, pushStore,
                                            new DefaultPushNotificationSender(pushStore, { timeout: 5000 }));
  const options = { requestHandler: handler, userBuilder: UserBuilder.noAuthentication, legacyCompat: { enabled: true } };
  app.use(`/${AGENT_CARD_PATH}`, agentCardHandler({ agentCardProvider: handler, legacyCompat: { enabled: true } }));
  app.use('/rpc', jsonRpcHandler(options));
  app.use('/rest', restHandler(options));
  say({ listening: server.address().port });
});
process.stdin.on('end', () => process.exit(0)); // the test closes stdin to stop the agent
process.stdin.resume();
