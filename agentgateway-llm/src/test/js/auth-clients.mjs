// The official OpenAI and Anthropic SDKs against LLM routes that require a gateway API key.
// Usage: node auth-clients.mjs <gateway base URL> <good key> ; prints one JSON line.
// openai sends the key as Authorization: Bearer; the classic Anthropic SDK (0.x) as x-api-key;
// the 1.x Anthropic SDK as Authorization: Bearer.
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import AnthropicClassic from 'anthropic-sdk-classic';

const [base, goodKey] = process.argv.slice(2);
const results = {};

async function outcome(call) {
  try {
    return { ok: await call() };
  } catch (e) {
    return { error: e.constructor.name, status: e.status ?? null, type: e.error?.error?.type ?? e.type ?? e.error?.type ?? null,
      message: e.message, challenge: e.headers?.get?.('www-authenticate') ?? e.headers?.['www-authenticate'] ?? null };
  }
}

const chat = (client) => client.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'hello' }] })
  .then((c) => c.choices[0].message.content);
const message = (client) => client.messages.create({ model: 'fast', max_tokens: 32, messages: [{ role: 'user', content: 'hello' }] })
  .then((m) => m.content[0].text);

results.openaiGood = await outcome(() => chat(new OpenAI({ apiKey: goodKey, baseURL: `${base}/oa/v1`, maxRetries: 0 })));
results.openaiBad = await outcome(() => chat(new OpenAI({ apiKey: 'sk-wrong', baseURL: `${base}/oa/v1`, maxRetries: 0 })));
results.anthropicGood = await outcome(() => message(new Anthropic({ apiKey: goodKey, baseURL: `${base}/an`, maxRetries: 0 })));
results.anthropicBad = await outcome(() => message(new Anthropic({ apiKey: 'sk-wrong', baseURL: `${base}/an`, maxRetries: 0 })));
results.classicGood = await outcome(() => message(new AnthropicClassic({ apiKey: goodKey, baseURL: `${base}/an`, maxRetries: 0 })));
results.classicBad = await outcome(() => message(new AnthropicClassic({ apiKey: 'sk-wrong', baseURL: `${base}/an`, maxRetries: 0 })));
console.log(JSON.stringify(results));
