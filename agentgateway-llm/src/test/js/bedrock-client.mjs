// The official AWS SDK Bedrock runtime client against a Bedrock endpoint (the test kit's fake, or the
// gateway): Converse, ConverseStream (binary eventstream), tool use, SigV4, errors.
// Usage: node bedrock-client.mjs <base URL> [secret] ; prints one JSON line.
import { BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { NodeHttpHandler } from '@smithy/node-http-handler';

const base = process.argv[2];
const secret = process.argv[3] ?? 'secret';
const client = (secretAccessKey) => new BedrockRuntimeClient({
  region: 'us-east-1', endpoint: base, maxAttempts: 1,
  credentials: { accessKeyId: 'AKIDTEST', secretAccessKey },
  requestHandler: new NodeHttpHandler(),
});
const bedrock = client(secret);
const modelId = 'anthropic.claude-3-haiku-20240307-v1:0';
const results = {};

const out = await bedrock.send(new ConverseCommand({ modelId,
  system: [{ text: 'be brief' }], inferenceConfig: { maxTokens: 64 },
  messages: [{ role: 'user', content: [{ text: 'hello fake' }] }] }));
results.text = out.output.message.content.map((b) => b.text ?? '').join('');
results.stopReason = out.stopReason;
results.usage = out.usage;

const stream = await bedrock.send(new ConverseStreamCommand({ modelId,
  messages: [{ role: 'user', content: [{ text: 'stream please' }] }] }));
let streamed = '';
const events = [];
let streamUsage = null;
let streamStop = null;
for await (const event of stream.stream) {
  const key = Object.keys(event)[0];
  if (events[events.length - 1] !== key) events.push(key);
  streamed += event.contentBlockDelta?.delta?.text ?? '';
  if (event.metadata) streamUsage = event.metadata.usage;
  if (event.messageStop) streamStop = event.messageStop.stopReason;
}
results.stream = streamed;
results.streamEvents = events;
results.streamUsage = streamUsage;
results.streamStop = streamStop;

const toolConfig = { tools: [{ toolSpec: { name: 'get_weather', inputSchema: { json: { type: 'object', properties: { city: { type: 'string' } } } } } }] };
const toolStream = await bedrock.send(new ConverseStreamCommand({ modelId, toolConfig,
  messages: [{ role: 'user', content: [{ text: 'weather?' }] }] }));
let toolName = null;
let toolInput = '';
for await (const event of toolStream.stream) {
  toolName = event.contentBlockStart?.start?.toolUse?.name ?? toolName;
  toolInput += event.contentBlockDelta?.delta?.toolUse?.input ?? '';
}
results.toolName = toolName;
results.toolInput = toolInput ? JSON.parse(toolInput) : null;

try {
  await client('wrong-secret').send(new ConverseCommand({ modelId, messages: [{ role: 'user', content: [{ text: 'x' }] }] }));
  results.badSignature = 'accepted';
} catch (e) {
  results.badSignature = e.name;
  results.badSignatureStatus = e.$metadata?.httpStatusCode;
}

try {
  await bedrock.send(new ConverseCommand({ modelId: 'error-model', messages: [{ role: 'user', content: [{ text: 'x' }] }] }));
  results.error = 'no error';
} catch (e) {
  results.errorName = e.name;
  results.errorStatus = e.$metadata?.httpStatusCode;
  results.errorMessage = e.message;
}

console.log(JSON.stringify(results));
