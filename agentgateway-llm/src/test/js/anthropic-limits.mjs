// The official Anthropic SDK (1.x) against the gateway's Messages front with a token limit: a refused call
// surfaces as a RateLimitError, and with retries the SDK waits for Retry-After and then succeeds.
// Usage: node anthropic-limits.mjs <gateway base URL> <key> ; prints one JSON line.
import Anthropic from '@anthropic-ai/sdk';

const [baseURL, apiKey] = process.argv.slice(2);
const results = {};

async function outcome(call) {
  try {
    return { ok: await call() };
  } catch (e) {
    return { error: e.constructor.name, status: e.status ?? null, type: e.error?.error?.type ?? null,
      retryAfter: e.headers?.get?.('retry-after') ?? null, message: e.message };
  }
}

const ask = (client, content) => client.messages.create({ model: 'cheap', max_tokens: 400, messages: [{ role: 'user', content }] })
  .then((m) => m.content.filter((b) => b.type === 'text').map((b) => b.text).join(''));

const noRetries = new Anthropic({ apiKey, baseURL, maxRetries: 0 });
results.spend = await outcome(() => ask(noRetries, 'spend'));
results.refused = await outcome(() => ask(noRetries, 'small'));
const withRetries = new Anthropic({ apiKey, baseURL, maxRetries: 3 });
const started = Date.now();
results.retried = await outcome(() => ask(withRetries, 'small'));
results.waitedMs = Date.now() - started;
console.log(JSON.stringify(results));
