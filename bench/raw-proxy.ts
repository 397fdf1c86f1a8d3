// The ceiling for the gateway benchmark: a hand-written JSON-RPC proxy with no MCP library, no
// validation and no configuration, making the same backend call for tools/call get_company.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Pool } from "undici";

const backend = process.env.BACKEND_URL ?? "http://127.0.0.1:4010";
const token = process.env.SAMPLE_BACKEND_TOKEN ?? "";
const pool = new Pool(backend, { connections: 128 });

const server = createServer(async (request, response) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const message = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  let result: unknown = {};
  if (message.method === "tools/call") {
    const id = encodeURIComponent(String(message.params.arguments.company_id));
    const answer = await pool.request({ method: "GET", path: `/tenants/acme/companies/${id}`, headers: { authorization: `Bearer ${token}`, accept: "application/json" } });
    const structuredContent = JSON.parse(await answer.body.text());
    result = { content: [{ type: "text", text: JSON.stringify(structuredContent) }], structuredContent };
  }
  const body = JSON.stringify({ jsonrpc: "2.0", id: message.id, result });
  response.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
});

server.listen(Number(process.env.PORT ?? 0), "127.0.0.1", () => {
  process.stdout.write(`raw proxy listening on http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
