// The official OpenAI SDK against the gateway's OpenAI front: chat, stream with usage, tools, errors.
// Usage: node openai-client.mjs <gateway base URL> ; prints one JSON line.
import OpenAI from 'openai';

const base = process.argv[2];
const client = new OpenAI({ apiKey: 'test-key', baseURL: `${base}/v1`, maxRetries: 0 });
const results = {};

const chat = await client.chat.completions.create({
  model: 'fast', max_tokens: 64,
  messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hello gateway' }],
});
results.chat = chat.choices[0].message.content;
results.chatFinish = chat.choices[0].finish_reason;
results.chatUsage = chat.usage;

let streamed = '';
let streamUsage = null;
let chunks = 0;
const stream = await client.chat.completions.create({
  model: 'fast', stream: true, stream_options: { include_usage: true },
  messages: [{ role: 'user', content: 'stream please' }],
});
for await (const chunk of stream) {
  chunks++;
  streamed += chunk.choices[0]?.delta?.content ?? '';
  if (chunk.usage) streamUsage = chunk.usage;
}
results.stream = streamed;
results.streamChunks = chunks;
results.streamUsage = streamUsage;

const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather in a city',
  parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
const toolAnswer = await client.chat.completions.create({
  model: 'fast', tools, messages: [{ role: 'user', content: 'weather?' }],
});
const call = toolAnswer.choices[0].message.tool_calls?.[0];
results.toolFinish = toolAnswer.choices[0].finish_reason;
results.toolName = call?.function?.name;
results.toolArgs = call ? JSON.parse(call.function.arguments) : null;

// The streamed tool call, assembled by the SDK's own helper.
const runner = client.chat.completions.stream({
  model: 'fast', tools, messages: [{ role: 'user', content: 'weather?' }],
});
const final = await runner.finalChatCompletion();
const streamedCall = final.choices[0].message.tool_calls?.[0];
results.streamedToolName = streamedCall?.function?.name;
results.streamedToolArgs = streamedCall ? JSON.parse(streamedCall.function.arguments) : null;

// A tool result sent back: the next turn.
const followUp = await client.chat.completions.create({
  model: 'fast', tools,
  messages: [{ role: 'user', content: 'weather?' }, toolAnswer.choices[0].message,
    { role: 'tool', tool_call_id: call.id, content: 'sunny, 24 C' }],
});
results.followUp = followUp.choices[0].message.content;

try {
  await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] });
  results.notFound = 'no error';
} catch (e) {
  results.notFoundStatus = e.status;
  results.notFoundMessage = e.message;
  results.notFoundErrorCode = e.code;
}

const models = await client.models.list();
results.models = models.data.map((m) => m.id);

console.log(JSON.stringify(results));
