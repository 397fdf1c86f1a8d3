import { createServer } from 'node:http';
import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchClientCredentialsToken, main, QUESTIONS, runQuestions, tokenEndpointFor } from '../../examples/staircase-client.ts';
import type { Output } from '../../examples/staircase-client.ts';

describe('tokenEndpointFor (the seed: MCP_SERVER_URL.rsplit("/mcp", 1)[0] + "/oauth/token")', () => {
  const cases = [
    { given: 'http://h/mcp/staircase', want: 'http://h/oauth/token' },
    { given: 'https://mcp.staircase.ai/mcp', want: 'https://mcp.staircase.ai/oauth/token' },
    { given: 'http://h/staircase/mcp', want: 'http://h/staircase/oauth/token' },
    { given: 'http://127.0.0.1:3000/mcp/staircase', want: 'http://127.0.0.1:3000/oauth/token' },
    { given: 'http://h/mcp/a/mcp/b', want: 'http://h/mcp/a/oauth/token' },
    { given: 'http://h/api', want: 'http://h/api/oauth/token' },
    // Python's rsplit cuts at the host's "//mcp" too when the path has no "/mcp": same here.
    { given: 'https://mcp.example.com', want: 'https://oauth/token' },
  ];
  for (const { given, want } of cases) {
    it(`${given} → ${want}`, () => {
      expect(tokenEndpointFor(given)).toBe(want);
    });
  }
});

// One tiny real server on 127.0.0.1: the token endpoint (checking client_secret_post) and an MCP
// endpoint that wants the token it issued and offers staircase_query.
const CLIENT_ID = 'mc_test-client';
const CLIENT_SECRET = 'secret with spaces & symbols=+/';
const ACCESS_TOKEN = 'eyJ.test-access-token.sig';
const tokenRequests: Array<{ method: string; contentType: string; authorization: string | undefined; form: Record<string, string> }> = [];
let http: HttpServer;
let origin: string;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function serveToken(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const form = Object.fromEntries(new URLSearchParams(await readBody(request)));
  tokenRequests.push({ method: request.method ?? '', contentType: request.headers['content-type'] ?? '', authorization: request.headers.authorization, form });
  if (form.grant_type !== 'client_credentials') return json(response, 400, { error: 'unsupported_grant_type' });
  if (form.client_id !== CLIENT_ID || form.client_secret !== CLIENT_SECRET) return json(response, 401, { error: 'invalid_client', error_description: 'client authentication failed' });
  json(response, 200, { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 43_200 });
}

function staircaseServer(): Server {
  const server = new Server({ name: 'staircase-test', version: '1' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [{ name: 'staircase_query', inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } }],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const query = String(request.params.arguments?.query ?? '');
    if (query.includes('fail')) return { isError: true, content: [{ type: 'text', text: 'No account named in the question.' }] };
    return { content: [{ type: 'text', text: 'ok' }], structuredContent: { query, matched: [{ company_name: 'Acme Corp' }] } };
  });
  return server;
}

async function serveMcp(request: IncomingMessage, response: ServerResponse): Promise<void> {
  if (request.headers.authorization !== `Bearer ${ACCESS_TOKEN}`) return json(response, 401, { error: 'invalid_token' });
  // Stateless: a server and transport per request.
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await staircaseServer().connect(transport);
  const body = request.method === 'POST' ? JSON.parse(await readBody(request)) : undefined;
  await transport.handleRequest(request, response, body);
}

beforeAll(async () => {
  http = createServer((request, response) => {
    const route = request.url === '/oauth/token' && request.method === 'POST' ? serveToken : request.url === '/mcp/staircase' ? serveMcp : undefined;
    if (route === undefined) return json(response, 404, { error: 'not_found' });
    route(request, response).catch((error: unknown) => json(response, 500, { error: String(error) }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
});

function capture(): Output & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, log: (line) => out.push(line), error: (line) => err.push(line) };
}

describe('fetchClientCredentialsToken', () => {
  it('posts grant_type=client_credentials with client_id and client_secret in the form body (client_secret_post)', async () => {
    tokenRequests.length = 0;
    const token = await fetchClientCredentialsToken({ tokenEndpoint: `${origin}/oauth/token`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    expect(token).toBe(ACCESS_TOKEN);
    expect(tokenRequests).toEqual([{
      method: 'POST', contentType: 'application/x-www-form-urlencoded', authorization: undefined,
      form: { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: CLIENT_SECRET },
    }]);
  });

  it("rejects with the server's OAuth error on a wrong secret", async () => {
    await expect(fetchClientCredentialsToken({ tokenEndpoint: `${origin}/oauth/token`, clientId: CLIENT_ID, clientSecret: 'wrong' }))
      .rejects.toThrow(`token request to ${origin}/oauth/token failed with HTTP 401 (invalid_client: client authentication failed)`);
  });

  it('rejects naming the endpoint when nothing listens there', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/oauth/token`;
    await new Promise((resolve) => closed.close(resolve));
    await expect(fetchClientCredentialsToken({ tokenEndpoint: endpoint, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }))
      .rejects.toThrow(`cannot reach the token endpoint ${endpoint}: connect ECONNREFUSED`);
  });

  it('rejects when the endpoint is not a token endpoint', async () => {
    await expect(fetchClientCredentialsToken({ tokenEndpoint: `${origin}/nope`, clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }))
      .rejects.toThrow('failed with HTTP 404 (not_found)');
  });
});

describe('runQuestions', () => {
  it('lists the tools and prints each answer\'s structured content as indented JSON', async () => {
    const output = capture();
    const failures = await runQuestions({ serverUrl: `${origin}/mcp/staircase`, accessToken: ACCESS_TOKEN, questions: ['How is Acme Corp?'], output });
    expect(failures).toBe(0);
    expect(output.out).toEqual([
      '[MCP] Available tools: staircase_query',
      '\n[MCP] Question: How is Acme Corp?',
      `[MCP] Response:\n${JSON.stringify({ query: 'How is Acme Corp?', matched: [{ company_name: 'Acme Corp' }] }, null, 2)}`,
    ]);
    expect(output.err).toEqual([]);
  });

  it('reports a tool error on stderr, goes on with the next question, and counts it', async () => {
    const output = capture();
    const failures = await runQuestions({ serverUrl: `${origin}/mcp/staircase`, accessToken: ACCESS_TOKEN, questions: ['please fail', 'How is Acme Corp?'], output });
    expect(failures).toBe(1);
    expect(output.err).toEqual(['[MCP] Error: No account named in the question.']);
    expect(output.out.filter((line) => line.startsWith('[MCP] Response:'))).toHaveLength(1);
  });
});

describe('main', () => {
  it('gets a token from the endpoint derived from MCP_SERVER_URL and asks the seed question', async () => {
    const output = capture();
    const code = await main({ MCP_SERVER_URL: `${origin}/mcp/staircase`, MCP_CLIENT_ID: CLIENT_ID, MCP_CLIENT_SECRET: CLIENT_SECRET }, output);
    expect(code).toBe(0);
    expect(output.out[0]).toBe(`[Auth] Obtained client_credentials token (len=${ACCESS_TOKEN.length})`);
    expect(output.out).toContain(`\n[MCP] Question: ${QUESTIONS[0]}`);
    expect(output.err).toEqual([]);
  });

  it('exits non-zero with the reason on stderr when the credential is refused', async () => {
    const output = capture();
    const code = await main({ MCP_SERVER_URL: `${origin}/mcp/staircase`, MCP_CLIENT_ID: CLIENT_ID, MCP_CLIENT_SECRET: 'wrong' }, output);
    expect(code).toBe(1);
    expect(output.out).toEqual([]);
    expect(output.err).toEqual([`[MCP] Error: token request to ${origin}/oauth/token failed with HTTP 401 (invalid_client: client authentication failed)`]);
  });

  it('exits non-zero naming the missing variables', async () => {
    const output = capture();
    expect(await main({}, output)).toBe(2);
    expect(output.err).toEqual(['[Auth] Set MCP_CLIENT_ID and MCP_CLIENT_SECRET to the credential\'s client id and secret.']);
  });
});
