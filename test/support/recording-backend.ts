import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface Reply {
  readonly status?: number;
  readonly body?: unknown;
  /** Never answer (for timeout tests). */
  readonly hang?: boolean;
}

/** A running {@link startRecordingBackend}. */
export type RecordingBackend = Awaited<ReturnType<typeof startRecordingBackend>>;

/**
 * A real HTTP server that records every request and answers from `reply` (JSON).
 * Stands in for an arbitrary backend where the sample backend does not fit the case.
 */
export async function startRecordingBackend(reply: (request: RecordedRequest) => Reply = () => ({ status: 200, body: {} })) {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const recorded = { method: request.method ?? "", url: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") };
    requests.push(recorded);
    const answer = reply(recorded);
    if (answer.hang) return;
    const status = answer.status ?? 200;
    if (status === 204) {
      response.writeHead(204).end();
      return;
    }
    response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(answer.body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
