// The official TypeScript SDK v2 client (@modelcontextprotocol/client 2.4.0) through the gateway's modern
// (2026-07-28) face to a legacy target, and a legacy client of the same SDK on the same endpoint.
// Prints one JSON line with what it saw. Usage: node ts-modern-client.mjs <url>
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

const url = new URL(process.argv[2]);
const wire = [];
const recording = async (input, init) => {
  const headers = new Headers(init?.headers);
  const body = typeof init?.body === 'string' ? JSON.parse(init.body) : null;
  const response = await fetch(input, init);
  wire.push({ method: body?.method, status: response.status, version: headers.get('mcp-protocol-version'),
    session: headers.get('mcp-session-id'), hasState: body?.params?.requestState !== undefined });
  return response;
};

function client(mode) {
  const c = new Client({ name: 'ts-modern-client', version: '1.0.0' }, {
    capabilities: { sampling: {}, elicitation: { form: {} } },
    versionNegotiation: { mode },
  });
  c.setRequestHandler('elicitation/create', async (request) => ({
    action: 'accept', content: { username: 'user-for-' + request.params.message, email: 'a@example.com', keep: true },
  }));
  c.setRequestHandler('sampling/createMessage', async (request) => ({
    role: 'assistant', model: 'fake-model',
    content: { type: 'text', text: 'echo ' + request.params.messages[0].content.text },
  }));
  return c;
}

const text = (result) => result.content.map((block) => block.text).join('');
const out = {};

const modern = client('auto');
await modern.connect(new StreamableHTTPClientTransport(url, { fetch: recording }));
out.era = modern.getProtocolEra();
out.version = modern.getNegotiatedProtocolVersion();
out.discover = modern.getDiscoverResult();
out.tools = (await modern.listTools()).tools.map((tool) => tool.name);
out.simple = text(await modern.callTool({ name: 'test_simple_text', arguments: {} }));
out.elicitation = text(await modern.callTool({ name: 'test_elicitation', arguments: { message: 'Who are you?' } }));
out.sampling = text(await modern.callTool({ name: 'test_sampling', arguments: { prompt: 'hello' } }));
out.multiRound = text(await modern.callTool({ name: 'test_sample_then_confirm', arguments: { prompt: 'pick a name' } }));
const concurrent = await Promise.all(Array.from({ length: 24 }, (_, i) =>
  modern.callTool({ name: 'test_elicitation', arguments: { message: 'round-' + i } }).then(text)));
out.concurrent = concurrent;
out.modernWire = wire.splice(0);
await modern.close();

const legacy = client('legacy');
await legacy.connect(new StreamableHTTPClientTransport(url, { fetch: recording }));
out.legacyEra = legacy.getProtocolEra();
out.legacyElicitation = text(await legacy.callTool({ name: 'test_elicitation', arguments: { message: 'legacy' } }));
out.legacyWire = wire.splice(0);
await legacy.close();

console.log(JSON.stringify(out));
