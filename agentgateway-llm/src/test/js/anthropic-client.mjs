// The official Anthropic SDK against the gateway's Messages front (/v1/messages): messages, stream, tools.
// Usage: node anthropic-client.mjs <gateway base URL> [classic] ; prints one JSON line.
// "classic" runs the 0.x SDK (x-api-key, anthropic-version 2023-06-01) instead of 1.x (Bearer, 2026-10-21).
const { default: Anthropic } = await import(process.argv[3] === 'classic' ? 'anthropic-sdk-classic' : '@anthropic-ai/sdk');

const base = process.argv[2];
const client = new Anthropic({ apiKey: 'test-key', baseURL: base, maxRetries: 0 });
const results = {};

const message = await client.messages.create({
  model: 'fast', max_tokens: 64, system: 'be brief',
  messages: [{ role: 'user', content: 'hello gateway' }],
});
results.text = message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
results.stopReason = message.stop_reason;
results.usage = message.usage;
results.type = message.type;

let streamed = '';
const eventTypes = new Set();
const stream = client.messages.stream({
  model: 'fast', max_tokens: 64, messages: [{ role: 'user', content: 'stream please' }],
});
for await (const event of stream) {
  eventTypes.add(event.type);
  if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') streamed += event.delta.text;
}
const final = await stream.finalMessage();
results.stream = streamed;
results.streamEvents = [...eventTypes].sort();
results.streamFinalText = final.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
results.streamUsage = final.usage;
results.streamStopReason = final.stop_reason;

const tools = [{ name: 'get_weather', description: 'Weather in a city',
  input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }];
const toolMessage = await client.messages.create({
  model: 'fast', max_tokens: 64, tools, messages: [{ role: 'user', content: 'weather?' }],
});
const use = toolMessage.content.find((b) => b.type === 'tool_use');
results.toolStopReason = toolMessage.stop_reason;
results.toolName = use?.name;
results.toolInput = use?.input;

const toolStream = client.messages.stream({
  model: 'fast', max_tokens: 64, tools, messages: [{ role: 'user', content: 'weather?' }],
});
const toolFinal = await toolStream.finalMessage();
const streamedUse = toolFinal.content.find((b) => b.type === 'tool_use');
results.streamedToolName = streamedUse?.name;
results.streamedToolInput = streamedUse?.input;

const followUp = await client.messages.create({
  model: 'fast', max_tokens: 64, tools,
  messages: [{ role: 'user', content: 'weather?' }, { role: 'assistant', content: toolMessage.content },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'sunny, 24 C' }] }],
});
results.followUp = followUp.content.filter((b) => b.type === 'text').map((b) => b.text).join('');

try {
  await client.messages.create({ model: 'no-such-model', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] });
  results.notFound = 'no error';
} catch (e) {
  results.notFoundStatus = e.status;
  results.notFoundType = e.error?.error?.type;
  results.notFoundMessage = e.error?.error?.message;
}

console.log(JSON.stringify(results));
