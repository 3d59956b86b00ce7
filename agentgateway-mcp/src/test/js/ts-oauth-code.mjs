// Probe: the official MCP TypeScript SDK client with an authorization-code + PKCE OAuth provider
// (pre-registered client), through the gateway. mock-oauth2-server approves /authorize at once; the
// provider follows that redirect with fetch instead of a browser and keeps the code, and the script
// finishes the authorization and retries, as an application does. Prints one JSON line.
// Usage: node ts-oauth-code.mjs <gateway MCP URL> <authorization server issuer URL>
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";

const [url, issuer] = process.argv.slice(2);
const out = { errors: [], authorizations: [], tokens: [], exchanges: [] };
const redirectUrl = "http://127.0.0.1:1/callback";
let code;

const provider = {
  _tokens: undefined, _verifier: undefined,
  get redirectUrl() { return redirectUrl; },
  get clientMetadata() {
    return { client_name: "ts-code", redirect_uris: [redirectUrl], grant_types: ["authorization_code"],
             token_endpoint_auth_method: "client_secret_basic" };
  },
  clientInformation() { return { client_id: "ts-code", client_secret: "s3cret", issuer }; },
  tokens() { return this._tokens; },
  saveTokens(tokens) {
    this._tokens = tokens;
    const claims = JSON.parse(Buffer.from(tokens.access_token.split(".")[1], "base64url").toString());
    out.tokens.push({ scope: claims.scope ?? null, aud: claims.aud, granted: tokens.scope ?? null });
  },
  saveCodeVerifier(verifier) { this._verifier = verifier; },
  codeVerifier() { return this._verifier; },
  async redirectToAuthorization(authorizationUrl) {
    const params = Object.fromEntries(authorizationUrl.searchParams);
    // mock-oauth2-server's /authorize is OpenID Connect only: it refuses a scope without "openid"
    const scope = (params.scope ?? "").split(" ").filter(Boolean);
    if (!scope.includes("openid")) authorizationUrl.searchParams.set("scope", ["openid", ...scope].join(" "));
    const response = await fetch(authorizationUrl, { redirect: "manual" });
    const location = response.headers.get("location");
    code = location ? new URL(location, authorizationUrl).searchParams.get("code") : undefined;
    if (!code) {
      out.authorizations.push({ status: response.status, location, body: (await response.text()).slice(0, 300) });
      throw new Error(`no code from /authorize (${response.status})`);
    }
    out.authorizations.push({ scope: params.scope ?? null, resource: params.resource ?? null,
      code_challenge_method: params.code_challenge_method ?? null, status: response.status, gotCode: !!code });
  },
};

const recordingFetch = async (input, init) => {
  const response = await fetch(input, init);
  const target = new URL(input instanceof Request ? input.url : input);
  const body = typeof init?.body === "string" ? init.body : init?.body?.toString();
  const rpc = body?.startsWith("{") ? JSON.parse(body).method : undefined;
  out.exchanges.push({ method: init?.method ?? "GET", path: target.pathname, status: response.status,
    ...(rpc ? { rpc } : {}),
    ...(body?.includes("grant_type=") ? { grant_type: new URLSearchParams(body).get("grant_type"), scope: new URLSearchParams(body).get("scope") } : {}),
    ...(response.headers.get("www-authenticate") ? { challenge: response.headers.get("www-authenticate") } : {}) });
  return response;
};

const newTransport = () => new StreamableHTTPClientTransport(new URL(url), { authProvider: provider, fetch: recordingFetch });
let transport = newTransport();
const client = new Client({ name: "ts-oauth-code", version: "1.0.0" }, { capabilities: {} });

// Runs fn; when the SDK stops for a browser authorization, finishes it with the code and runs fn again.
async function authorized(fn) {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof UnauthorizedError) || !code) throw e;
    await transport.finishAuth(code);
    code = undefined;
    return await fn();
  }
}

async function step(name, fn) {
  try {
    out[name] = await authorized(fn);
  } catch (e) {
    out.errors.push(`${name}: ${e?.message ?? e}`);
  }
}

try {
  // a transport cannot be started twice: after the first authorization, connect with a new one
  await step("connect", async () => {
    try {
      await client.connect(transport);
    } catch (e) {
      if (!(e instanceof UnauthorizedError) || !code) throw e;
      await transport.finishAuth(code);
      code = undefined;
      transport = newTransport();
      await client.connect(transport);
    }
    return true;
  });
  await step("tools", async () => (await client.listTools()).tools.map(t => t.name));
  const echo = (out.tools ?? []).find(name => name.endsWith("echo"));
  await step("echo", async () => (await client.callTool({ name: echo, arguments: { message: "hi with a code" } }))
    .content.map(c => c.text).join(" "));
} finally {
  await client.close().catch(() => {});
}
console.log(JSON.stringify(out));
