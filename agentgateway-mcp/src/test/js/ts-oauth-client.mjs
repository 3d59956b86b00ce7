// The official MCP TypeScript SDK client with its built-in client-credentials OAuth provider, through a
// gateway that protects its MCP route; prints one JSON line: the HTTP exchanges the SDK made, the
// tokens it obtained (decoded claims) and the tool results.
// Usage: node ts-oauth-client.mjs <gateway MCP URL> <authorization server issuer URL> <challenge | scopes to configure>
//
// SDK 1.32.2 does not use a challenge's scope for client_credentials: auth() resolves it, but
// fetchToken() asks provider.prepareTokenRequest() with provider.clientMetadata.scope only. In
// "challenge" mode this script does what a client application must do about that: it copies the scope
// of each 401/403 challenge into the provider's client metadata before the SDK asks for a token.
// Otherwise the given scopes are configured on the provider and never changed.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { ClientCredentialsProvider } from "@modelcontextprotocol/sdk/client/auth-extensions.js";

const [url, issuer, mode] = process.argv.slice(2);
const out = { errors: [], exchanges: [], tokens: [] };

// Pre-registered client: no dynamic registration. Scopes come from the server's challenges.
class RecordingProvider extends ClientCredentialsProvider {
  saveTokens(tokens) {
    super.saveTokens(tokens);
    const claims = JSON.parse(Buffer.from(tokens.access_token.split(".")[1], "base64url").toString());
    out.tokens.push({ scope: claims.scope, aud: claims.aud, granted: tokens.scope ?? null });
  }
}
const provider = new RecordingProvider({ clientId: "ts-agent", clientSecret: "s3cret", expectedIssuer: issuer,
  ...(mode === "challenge" ? {} : { scope: mode }) });

const recordingFetch = async (input, init) => {
  const response = await fetch(input, init);
  const target = new URL(input instanceof Request ? input.url : input);
  let body = init?.body;
  if (body instanceof URLSearchParams) body = body.toString();
  const rpc = typeof body === "string" && body.startsWith("{") ? JSON.parse(body).method : undefined;
  out.exchanges.push({
    method: init?.method ?? "GET", path: target.pathname, status: response.status,
    ...(rpc ? { rpc } : {}),
    ...(typeof body === "string" && body.includes("grant_type") ? { form: Object.fromEntries(new URLSearchParams(body)) } : {}),
    ...(response.headers.get("www-authenticate") ? { challenge: response.headers.get("www-authenticate") } : {}),
  });
  const challenge = response.headers.get("www-authenticate") ?? "";
  const scope = /scope="([^"]*)"/.exec(challenge)?.[1];
  if (mode === "challenge" && scope && (response.status === 401 || response.status === 403)) {
    provider.clientMetadata.scope = scope;
  }
  return response;
};

const client = new Client({ name: "ts-oauth", version: "1.0.0" }, { capabilities: {} });
const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider, fetch: recordingFetch });

async function step(name, fn) {
  try {
    out[name] = await fn();
  } catch (e) {
    out.errors.push(`${name}: ${e?.message ?? e}`);
  }
}

try {
  await client.connect(transport);
  await step("tools", async () => (await client.listTools()).tools.map(t => t.name));
  const echo = (out.tools ?? []).find(name => name.endsWith("echo"));
  await step("echo", async () => (await client.callTool({ name: echo, arguments: { message: "hi with a token" } }))
    .content.map(c => c.text).join(" "));
  await step("toolsAfterStepUp", async () => (await client.listTools()).tools.length);
} catch (e) {
  out.errors.push(`connect: ${e?.message ?? e}`);
} finally {
  await client.close().catch(() => {});
}
console.log(JSON.stringify(out));
