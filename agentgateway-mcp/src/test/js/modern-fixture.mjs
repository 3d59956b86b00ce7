// Modern-era (MCP 2026-07-28) conformance fixture server for the agentgateway-mcp Java tests.
//
// Built on @modelcontextprotocol/server 2.4.0 (createMcpHandler, stateless per-request serving).
// Serves Streamable HTTP at /mcp on 127.0.0.1; 2026-07-28 ("modern", per-request _meta envelope,
// server/discover, MRTR input_required results, subscriptions/listen) and, as the SDK does by
// default, 2025-era clients (initialize) on the same endpoint via the stateless legacy fallback.
//
// Usage:  PORT=0 node modern-fixture.mjs      (PORT unset or 0 => random free port)
// Prints exactly one line "LISTENING <port>" on stdout once ready; diagnostics go to stderr.
//
// Exposes the fixture tools/prompts/resources the conformance server scenarios (conformance
// 0.2.0-alpha.12, --requirements 2026-07-28) look for: test_simple_text, test_image_content, ...,
// test_input_required_result_* (MRTR), test_missing_capability, test_streaming_elicitation,
// test_logging_tool, test_trigger_tool_change/test_trigger_prompt_change, json_schema_2020_12_tool,
// an x-mcp-header tool, the test_* prompts, the test://* resources and the test://template/{id}/data
// template, plus completion for test_prompt_with_arguments.
import http from 'node:http';
import * as z from 'zod/v4';
import {
  McpServer, ResourceTemplate, createMcpHandler, createRequestStateCodec, inputRequired, acceptedContent,
  inputResponse, completable, fromJsonSchema, hostHeaderValidationResponse, localhostAllowedHostnames,
} from '@modelcontextprotocol/server';
import { TASKS_EXTENSION, REQUIRED_TASK_TOOLS, missingExtension, registerTaskTools, registerTaskMethods, getsOf } from './modern-tasks.mjs';

const PORT = Number(process.env.PORT ?? 0);
const CAPS_KEY = 'io.modelcontextprotocol/clientCapabilities';
const LOG_LEVEL_KEY = 'io.modelcontextprotocol/logLevel';

// 1x1 transparent PNG.
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
// Tiny valid WAV (8 kHz, mono, 8-bit PCM, 8 samples of silence).
const WAV_BASE64 = (() => {
  const samples = Buffer.alloc(8, 128);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0); h.writeUInt32LE(36 + samples.length, 4); h.write('WAVE', 8);
  h.write('fmt ', 12); h.writeUInt32LE(16, 16); h.writeUInt16LE(1, 20); h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8000, 24); h.writeUInt32LE(8000, 28); h.writeUInt16LE(1, 32); h.writeUInt16LE(8, 34);
  h.write('data', 36); h.writeUInt32LE(samples.length, 40);
  return Buffer.concat([h, samples]).toString('base64');
})();

// JSON Schema 2020-12 focal schema (conformance json-schema-2020-12 scenario, SEP-1613/SEP-2106).
const JSON_SCHEMA_2020_12 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: {
      $anchor: 'addressDef',
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' } },
    },
  },
  properties: {
    name: { type: 'string' },
    address: { $ref: '#/$defs/address' },
    contactMethod: { type: 'string', enum: ['phone', 'email'] },
    phone: { type: 'string' },
    email: { type: 'string' },
  },
  allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
  if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
  then: { required: ['phone'] },
  else: { required: ['email'] },
  additionalProperties: false,
};

// Tool with an x-mcp-header string argument (SEP-2243 custom Mcp-Param-* header validation).
const X_MCP_HEADER_SCHEMA = {
  type: 'object',
  properties: {
    message: { type: 'string', description: 'Echoed back; mirrored in the Mcp-Param-Message header', 'x-mcp-header': 'Message' },
  },
  required: ['message'],
};

// HMAC-sealed requestState: a tampered/expired state is rejected (-32602) before the handler runs.
const stateCodec = createRequestStateCodec({ key: crypto.getRandomValues(new Uint8Array(32)), ttlSeconds: 600 });

const text = (t) => ({ content: [{ type: 'text', text: t }] });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const clientCaps = (ctx) => ctx.mcpReq.envelope?.[CAPS_KEY] ?? ctx.mcpReq.envelope?.clientCapabilities ?? {};
const logLevelOf = (ctx) => ctx.mcpReq.envelope?.[LOG_LEVEL_KEY] ?? ctx.mcpReq.envelope?.logLevel;

const NAME_SCHEMA = { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] };
const askName = (message = 'What is your name?') => inputRequired.elicit({ message, requestedSchema: NAME_SCHEMA });
const samplingResponseText = (view) => {
  if (view.kind !== 'sampling') return undefined;
  const c = view.result.content;
  const block = Array.isArray(c) ? c.find((b) => b.type === 'text') : c;
  return block?.type === 'text' ? block.text : JSON.stringify(c);
};

let handler; // assigned below; trigger tools publish change events through handler.notify

function buildServer() { // factory: called once per HTTP request (stateless)
  const server = new McpServer(
    { name: 'agentgateway-modern-fixture', version: '1.0.0' },
    {
      capabilities: {
        tools: { listChanged: true },
        prompts: { listChanged: true },
        resources: { listChanged: true, subscribe: true },
        completions: {},
        logging: {},
        extensions: { [TASKS_EXTENSION]: {} },
      },
      requestState: { verify: stateCodec.verify },
    },
  );

  // ---- basic content tools (first tool must accept {} — http-header-validation calls tools[0]) ----
  server.registerTool('test_simple_text', { description: 'Returns simple text content' },
    async () => text('This is a simple text response for testing.'));

  server.registerTool('test_image_content', { description: 'Returns image content' },
    async () => ({ content: [{ type: 'image', data: PNG_BASE64, mimeType: 'image/png' }] }));

  server.registerTool('test_audio_content', { description: 'Returns audio content' },
    async () => ({ content: [{ type: 'audio', data: WAV_BASE64, mimeType: 'audio/wav' }] }));

  server.registerTool('test_embedded_resource', { description: 'Returns embedded resource content' },
    async () => ({
      content: [{
        type: 'resource',
        resource: { uri: 'test://embedded-resource', mimeType: 'text/plain', text: 'This is an embedded resource content.' },
      }],
    }));

  server.registerTool('test_multiple_content_types', { description: 'Returns text, image and embedded resource content' },
    async () => ({
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: PNG_BASE64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: { uri: 'test://mixed-content-resource', mimeType: 'application/json', text: JSON.stringify({ test: 'data', value: 123 }) },
        },
      ],
    }));

  server.registerTool('test_error_handling', { description: 'Always returns a tool error (isError: true)' },
    async () => ({ isError: true, content: [{ type: 'text', text: 'This tool intentionally returns an error for testing' }] }));

  server.registerTool('test_tool_with_progress', { description: 'Reports progress 0/50/100 of 100 when a progressToken is given' },
    async (ctx) => {
      const token = ctx.mcpReq._meta?.progressToken;
      for (const progress of [0, 50, 100]) {
        if (token !== undefined) {
          await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress, total: 100 } });
        }
        if (progress < 100) await sleep(50);
      }
      return text('Progress tool completed');
    });

  server.registerTool('test_reconnection', { description: 'Returns after a short delay (2025-era reconnection fixture)' },
    async () => { await sleep(100); return text('Reconnection test completed'); });

  // ---- 2026-07-28 structural diagnostics (server-stateless scenario) ----
  server.registerTool('test_missing_capability', { description: 'Requires the sampling client capability; -32021 when undeclared' },
    async (ctx) => {
      // Returning a sampling inputRequest to a client that did not declare `sampling` makes the SDK
      // answer -32021 (HTTP 400) with data.requiredCapabilities (a thrown error would become isError).
      const answer = samplingResponseText(inputResponse(ctx.mcpReq.inputResponses, 'sample'));
      if (answer === undefined) {
        return inputRequired({
          inputRequests: {
            sample: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: 'Say hello' } }],
              maxTokens: 20,
            }),
          },
        });
      }
      return text(`Sampling response: ${answer}`);
    });

  server.registerTool('test_streaming_elicitation', { description: 'Streams progress, then asks for input via input_required (never an independent request)' },
    async (ctx) => {
      const token = ctx.mcpReq._meta?.progressToken ?? 'streaming-elicitation';
      await ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken: token, progress: 1, total: 2, message: 'working' } });
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_name');
      if (!answer) return inputRequired({ inputRequests: { user_name: askName() } });
      return text(`Hello, ${answer.name}!`);
    });

  server.registerTool('test_logging_tool', { description: 'Emits log messages only when _meta logLevel is set' },
    async (ctx) => {
      const level = logLevelOf(ctx);
      if (level) {
        await ctx.mcpReq.notify({ method: 'notifications/message', params: { level: 'info', logger: 'fixture', data: 'Tool execution started' } });
      }
      await sleep(20);
      return text(level ? `Logged at ${level}` : 'No logLevel requested; nothing logged');
    });

  server.registerTool('test_trigger_tool_change', { description: 'Publishes notifications/tools/list_changed to open subscriptions' },
    async () => { handler.notify.toolsChanged(); return text('tools list_changed published'); });

  server.registerTool('test_trigger_resource_update', {
    description: 'Publishes notifications/resources/updated for a URI to the subscriptions that watch it',
    inputSchema: z.object({ uri: z.string() }),
  }, async ({ uri }) => { handler.notify.resourceUpdated(uri); return text(`resources/updated published for ${uri}`); });

  server.registerTool('test_trigger_prompt_change', { description: 'Publishes notifications/prompts/list_changed to open subscriptions' },
    async () => { handler.notify.promptsChanged(); return text('prompts list_changed published'); });

  // ---- MRTR (SEP-2322) input_required tools ----
  server.registerTool('test_input_required_result_elicitation', { description: 'MRTR: asks for user_name via elicitation' },
    async (ctx) => {
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_name');
      if (!answer || typeof answer.name !== 'string') return inputRequired({ inputRequests: { user_name: askName() } });
      return text(`Hello, ${answer.name}!`);
    });

  server.registerTool('test_input_required_result_sampling', { description: 'MRTR: asks for capital_question via sampling' },
    async (ctx) => {
      const answer = samplingResponseText(inputResponse(ctx.mcpReq.inputResponses, 'capital_question'));
      if (answer === undefined) {
        return inputRequired({
          inputRequests: {
            capital_question: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
              maxTokens: 100,
            }),
          },
        });
      }
      return text(`Sampling response: ${answer}`);
    });

  server.registerTool('test_input_required_result_list_roots', { description: 'MRTR: asks for client_roots via roots/list' },
    async (ctx) => {
      const view = inputResponse(ctx.mcpReq.inputResponses, 'client_roots');
      if (view.kind !== 'roots') return inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } });
      return text(`Client roots: ${view.roots.map((r) => r.uri).join(', ') || '(none)'}`);
    });

  server.registerTool('test_input_required_result_request_state', { description: 'MRTR: round-trips a signed requestState' },
    async (ctx) => {
      const state = ctx.mcpReq.requestState();
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'confirm');
      if (!state || state.tool !== 'request_state' || !answer) {
        return inputRequired({
          inputRequests: {
            confirm: inputRequired.elicit({
              message: 'Please confirm',
              requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
            }),
          },
          requestState: await stateCodec.mint({ tool: 'request_state', round: 1 }),
        });
      }
      return text(`state-ok: requestState verified (round ${state.round}), ok=${answer.ok}`);
    });

  server.registerTool('test_input_required_result_tampered_state', { description: 'MRTR: signed requestState; tampering is rejected' },
    async (ctx) => {
      const state = ctx.mcpReq.requestState();
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'confirm');
      if (!state || state.tool !== 'tampered_state' || !answer) {
        return inputRequired({
          inputRequests: {
            confirm: inputRequired.elicit({
              message: 'Please confirm',
              requestedSchema: { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] },
            }),
          },
          requestState: await stateCodec.mint({ tool: 'tampered_state' }),
        });
      }
      return text('state-ok: untampered requestState accepted');
    });

  server.registerTool('test_input_required_result_multiple_inputs', { description: 'MRTR: asks for elicitation, sampling and roots at once' },
    async (ctx) => {
      const rs = ctx.mcpReq.inputResponses;
      const name = acceptedContent(rs, 'user_name');
      const greeting = samplingResponseText(inputResponse(rs, 'greeting'));
      const roots = inputResponse(rs, 'client_roots');
      const state = ctx.mcpReq.requestState();
      if (!state || state.tool !== 'multiple_inputs' || !name || greeting === undefined || roots.kind !== 'roots') {
        return inputRequired({
          inputRequests: {
            user_name: askName(),
            greeting: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
              maxTokens: 50,
            }),
            client_roots: inputRequired.listRoots(),
          },
          requestState: await stateCodec.mint({ tool: 'multiple_inputs' }),
        });
      }
      return text(`${greeting} ${name.name}; roots: ${roots.roots.map((r) => r.uri).join(', ') || '(none)'}`);
    });

  server.registerTool('test_input_required_result_multi_round', { description: 'MRTR: two elicitation rounds (step1, step2)' },
    async (ctx) => {
      const state = ctx.mcpReq.requestState();
      const rs = ctx.mcpReq.inputResponses;
      if (state?.tool === 'multi_round' && state.round === 2) {
        const step2 = acceptedContent(rs, 'step2');
        if (step2 && typeof step2.color === 'string') return text(`Hello ${state.name}, favorite color ${step2.color}`);
      }
      if (state?.tool === 'multi_round' && state.round >= 1) {
        const step1 = state.round === 1 ? acceptedContent(rs, 'step1') : { name: state.name };
        if (step1 && typeof step1.name === 'string') {
          return inputRequired({
            inputRequests: {
              step2: inputRequired.elicit({
                message: 'Step 2: What is your favorite color?',
                requestedSchema: { type: 'object', properties: { color: { type: 'string' } }, required: ['color'] },
              }),
            },
            requestState: await stateCodec.mint({ tool: 'multi_round', round: 2, name: step1.name }),
          });
        }
      }
      return inputRequired({
        inputRequests: { step1: askName('Step 1: What is your name?') },
        requestState: await stateCodec.mint({ tool: 'multi_round', round: 1 }),
      });
    });

  server.registerTool('test_input_required_result_capabilities', { description: 'MRTR: only asks for inputs the client declared capabilities for' },
    async (ctx) => {
      const caps = clientCaps(ctx);
      const rs = ctx.mcpReq.inputResponses;
      const requests = {};
      if (caps.elicitation && !acceptedContent(rs, 'user_name')) requests.user_name = askName();
      if (caps.sampling && samplingResponseText(inputResponse(rs, 'greeting')) === undefined) {
        requests.greeting = inputRequired.createMessage({
          messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
          maxTokens: 50,
        });
      }
      if (caps.roots && inputResponse(rs, 'client_roots').kind !== 'roots') requests.client_roots = inputRequired.listRoots();
      if (Object.keys(requests).length > 0) return inputRequired({ inputRequests: requests });
      return text(`Completed with declared capabilities: ${Object.keys(caps).join(', ') || '(none)'}`);
    });

  // ---- schema fixtures ----
  server.registerTool('json_schema_2020_12_tool', {
    description: 'Tool with JSON Schema 2020-12 features',
    inputSchema: fromJsonSchema(JSON_SCHEMA_2020_12),
  }, async (args) => text(`Received: ${JSON.stringify(args)}`));

  server.registerTool('test_x_mcp_header', {
    description: 'Echoes its message argument, which is mirrored in the Mcp-Param-Message header (x-mcp-header)',
    inputSchema: fromJsonSchema(X_MCP_HEADER_SCHEMA),
  }, async (args) => text(`Echo: ${args.message}`));

  // ---- prompts ----
  server.registerPrompt('test_simple_prompt', { description: 'A simple prompt without arguments' },
    async () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }] }));

  server.registerPrompt('test_prompt_with_arguments', {
    description: 'A prompt with two required arguments',
    argsSchema: {
      arg1: completable(z.string().describe('First test argument'),
        (value) => ['paris', 'park', 'party', 'test', 'testing'].filter((v) => v.startsWith(value ?? ''))),
      arg2: z.string().describe('Second test argument'),
    },
  }, async ({ arg1, arg2 }) => ({
    messages: [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } }],
  }));

  server.registerPrompt('test_prompt_with_embedded_resource', {
    description: 'A prompt that embeds a resource',
    argsSchema: { resourceUri: z.string().describe('URI of the resource to embed') },
  }, async ({ resourceUri }) => ({
    messages: [
      { role: 'user', content: { type: 'resource', resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' } } },
      { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
    ],
  }));

  server.registerPrompt('test_prompt_with_image', { description: 'A prompt with image content' },
    async () => ({
      messages: [
        { role: 'user', content: { type: 'image', data: PNG_BASE64, mimeType: 'image/png' } },
        { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
      ],
    }));

  server.registerPrompt('test_input_required_result_prompt', { description: 'MRTR on prompts/get: asks for user_context' },
    async (ctx) => {
      const answer = acceptedContent(ctx.mcpReq.inputResponses, 'user_context');
      if (!answer || typeof answer.context !== 'string') {
        return inputRequired({
          inputRequests: {
            user_context: inputRequired.elicit({
              message: 'What context should the prompt use?',
              requestedSchema: { type: 'object', properties: { context: { type: 'string' } }, required: ['context'] },
            }),
          },
        });
      }
      return { messages: [{ role: 'user', content: { type: 'text', text: `Prompt with context: ${answer.context}` } }] };
    });

  // ---- resources ----
  server.registerResource('static-text', 'test://static-text',
    { description: 'A static text resource', mimeType: 'text/plain' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'This is the content of the static text resource.' }] }));

  server.registerResource('static-binary', 'test://static-binary',
    { description: 'A static binary (PNG) resource', mimeType: 'image/png' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'image/png', blob: PNG_BASE64 }] }));

  server.registerResource('watched-resource', 'test://watched-resource',
    { description: 'A resource clients may watch for updates', mimeType: 'text/plain' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Watched resource content' }] }));

  server.registerResource('example-resource', 'test://example-resource',
    { description: 'An example resource', mimeType: 'text/plain' },
    async (uri) => ({ contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'Example resource content' }] }));

  server.registerResource('template-data', new ResourceTemplate('test://template/{id}/data', { list: undefined }),
    { description: 'A templated resource; substitutes {id}', mimeType: 'application/json' },
    async (uri, { id }) => ({
      contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${id}` }) }],
    }));

  // ---- the tasks extension (SEP-2663), by hand: the SDK has none ----
  const declared = (ctx) => !!clientCaps(ctx).extensions?.[TASKS_EXTENSION];
  registerTaskTools(server, declared);
  registerTaskMethods(server, declared);

  return server;
}

/** A modern tools/call of a task-required tool from a client without the tasks extension: -32021, before the SDK (which would make a thrown error a tool result). */
function refusedTaskCall(body) {
  try {
    const message = JSON.parse(body.toString('utf8'));
    const meta = message?.params?._meta;
    if (message?.method !== 'tools/call' || !REQUIRED_TASK_TOOLS.includes(message.params?.name)
        || meta?.['io.modelcontextprotocol/protocolVersion'] !== '2026-07-28') return null;
    return meta?.[CAPS_KEY]?.extensions?.[TASKS_EXTENSION] ? null : missingExtension(message.id ?? null);
  } catch {
    return null;
  }
}

handler = createMcpHandler(buildServer, {
  // LEGACY=reject makes it a modern-only server (the gateway's era detection is tested against both)
  legacy: process.env.LEGACY === 'reject' ? 'reject' : 'stateless',
  onerror: (e) => { if (process.env.FIXTURE_DEBUG) console.error('[onerror]', e.message); },
});

// node:http -> fetch adapter with a DNS-rebinding Host check in front of the handler.
const httpServer = http.createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://127.0.0.1');
    const polled = url.pathname.match(/^\/fixture\/tasks\/([^/]+)\/gets$/); // what a test reads, not MCP
    if (polled) { res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ gets: getsOf(decodeURIComponent(polled[1])) })); return; }
    if (url.pathname !== '/mcp') { res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found'); return; }
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = chunks.length ? Buffer.concat(chunks) : undefined;
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const request = new Request(`http://${req.headers.host ?? '127.0.0.1'}${req.url}`, {
      method: req.method,
      headers: Object.entries(req.headers).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]])),
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      signal: abort.signal,
    });
    const refused = req.method === 'POST' && body ? refusedTaskCall(body) : null;
    if (refused) { res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(refused)); return; }
    const rejected = hostHeaderValidationResponse(request, localhostAllowedHostnames());
    const response = rejected ?? (await handler.fetch(request));
    const headers = {};
    response.headers.forEach((v, k) => { headers[k] = v; });
    res.writeHead(response.status, headers);
    if (typeof res.flushHeaders === 'function') res.flushHeaders();
    if (response.body) {
      for await (const chunk of response.body) {
        if (res.destroyed) break;
        res.write(chunk);
      }
    }
    res.end();
  } catch (e) {
    if (process.env.FIXTURE_DEBUG) console.error('[http]', e);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end();
  }
});

httpServer.listen(PORT, '127.0.0.1', () => {
  process.stdout.write(`LISTENING ${httpServer.address().port}\n`);
});

const shutdown = () => { httpServer.close(); handler.close?.(); process.exit(0); };
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
