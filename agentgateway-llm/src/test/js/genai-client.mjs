// The official @google/genai SDK against a Gemini endpoint (the test kit's fake, or the gateway):
// generateContent, generateContentStream, function calls, errors, and Vertex AI mode.
// Usage: node genai-client.mjs <base URL> ; prints one JSON line.
import { GoogleGenAI } from '@google/genai';
import { OAuth2Client } from 'google-auth-library';

const base = process.argv[2];
const ai = new GoogleGenAI({ apiKey: 'gem-key', httpOptions: { baseUrl: base } });
const results = {};

const answer = await ai.models.generateContent({
  model: 'gemini-2.5-flash', contents: 'hello fake',
  config: { systemInstruction: 'be brief', maxOutputTokens: 64 },
});
results.text = answer.text;
results.finish = answer.candidates?.[0]?.finishReason;
results.usage = answer.usageMetadata;
results.modelVersion = answer.modelVersion;

let streamed = '';
let chunks = 0;
let streamUsage = null;
for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'stream please' })) {
  chunks++;
  streamed += chunk.text ?? '';
  if (chunk.usageMetadata) streamUsage = chunk.usageMetadata;
}
results.stream = streamed;
results.streamChunks = chunks;
results.streamUsage = streamUsage;

const call = await ai.models.generateContent({
  model: 'gemini-2.5-flash', contents: 'weather?',
  config: { tools: [{ functionDeclarations: [{ name: 'get_weather', parametersJsonSchema: { type: 'object', properties: { city: { type: 'string' } } } }] }] },
});
results.functionCall = call.functionCalls?.[0] ?? null;

try {
  await ai.models.generateContent({ model: 'error-model', contents: 'x' });
  results.error = 'no error';
} catch (e) {
  results.errorStatus = e.status;
  results.errorMessage = e.message;
}

const authClient = new OAuth2Client();
authClient.setCredentials({ access_token: 'ya29.test', expiry_date: Date.now() + 3_600_000 });
const vertex = new GoogleGenAI({ vertexai: true, project: 'proj', location: 'us-central1',
  googleAuthOptions: { authClient }, httpOptions: { baseUrl: base } });
const vertexAnswer = await vertex.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hello vertex' });
results.vertexText = vertexAnswer.text;

console.log(JSON.stringify(results));
