// The official OpenAI SDK against an LLM route with a token limit: a refused call surfaces as a
// RateLimitError, and with retries the SDK waits for Retry-After and then succeeds.
// Usage: node token-limits.mjs <base URL of the OpenAI front> <key> ; prints one JSON line.
import OpenAI from 'openai';

const [baseURL, apiKey] = process.argv.slice(2);
const results = {};

async function outcome(call) {
  try {
    return { ok: await call() };
  } catch (e) {
    return { error: e.constructor.name, status: e.status ?? null, code: e.code ?? null, type: e.type ?? null,
      retryAfter: e.headers?.get?.('retry-after') ?? null, rateLimit: e.headers?.get?.('ratelimit') ?? null, message: e.message };
  }
}

const chat = (client, content) => client.chat.completions.create({ model: 'cheap', max_tokens: 400, messages: [{ role: 'user', content }] })
  .then((c) => c.choices[0].message.content);

const noRetries = new OpenAI({ apiKey, baseURL, maxRetries: 0 });
results.spend = await outcome(() => chat(noRetries, 'spend')); // the provider reports 990 tokens
results.refused = await outcome(() => chat(noRetries, 'small'));
const withRetries = new OpenAI({ apiKey, baseURL, maxRetries: 3 });
const started = Date.now();
results.retried = await outcome(() => chat(withRetries, 'small'));
results.waitedMs = Date.now() - started;
console.log(JSON.stringify(results));
