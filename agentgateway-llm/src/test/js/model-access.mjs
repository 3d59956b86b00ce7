// The official OpenAI SDK against an LLM route guarded by Cedar: each key sees and may use its own models.
// Usage: node model-access.mjs <base URL of the OpenAI front> <key> ; prints one JSON line.
import OpenAI from 'openai';

const [baseURL, apiKey] = process.argv.slice(2);
const client = new OpenAI({ apiKey, baseURL, maxRetries: 0 });
const results = {};

async function outcome(call) {
  try {
    return { ok: await call() };
  } catch (e) {
    return { error: e.constructor.name, status: e.status ?? null, code: e.code ?? null, type: e.type ?? null, message: e.message };
  }
}

const chat = (model, extra = {}) => client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }], ...extra })
  .then((c) => c.choices[0].message.content);

results.models = await outcome(async () => {
  const ids = [];
  for await (const model of client.models.list()) ids.push(model.id);
  return ids;
});
results.cheap = await outcome(() => chat('cheap'));
results.cheapLong = await outcome(() => chat('cheap', { max_tokens: 5000 }));
results.premium = await outcome(() => chat('premium'));
results.missing = await outcome(() => chat('no-such-model'));
console.log(JSON.stringify(results));
