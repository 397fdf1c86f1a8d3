import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackendClient, prepareBackendRequest, type BackendTarget } from "../../../runtime/backend/backend-client.ts";
import { startRecordingBackend } from "../../support/recording-backend.ts";

let main: Awaited<ReturnType<typeof startRecordingBackend>>;
let uploads: Awaited<ReturnType<typeof startRecordingBackend>>;
const client = new BackendClient({ maxConnections: 4, maxResponseBytes: 1024 * 1024 });
const caller = { tenant: "acme", user: "u", client: "c", scopes: new Set<string>(), email: undefined, groups: [] };
const context = { requestId: "r1", traceHeaders: undefined, actorHeader: undefined };

beforeAll(async () => {
  main = await startRecordingBackend();
  uploads = await startRecordingBackend();
});
afterAll(async () => {
  await client.close();
  await main?.close();
  await uploads?.close();
});

const target = (overridden: boolean): BackendTarget => ({ name: "b", baseUrlParts: [`${main.url}/t/`, ""], credential: { header: "authorization", value: "Bearer k" }, timeoutMs: 1000, baseUrlOverridden: overridden });

describe("BackendClient.send(target, request, caller, context)", () => {
  it("labels a form body with its content type, and JSON by default", async () => {
    await client.send(target(false), { method: "POST", path: "/x", query: "", headers: undefined, body: "a%5Bb%5D=1", contentType: "application/x-www-form-urlencoded" }, caller, context);
    expect(main.requests.at(-1)!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    await client.send(target(false), { method: "POST", path: "/x", query: "", headers: undefined, body: "{}" }, caller, context);
    expect(main.requests.at(-1)!.headers["content-type"]).toBe("application/json");
  });

  it("sends an operation with servers of its own to its base URL, unless the backend's URL was overridden", async () => {
    const request = { method: "POST", path: "/v1/files", query: "", headers: undefined, body: "x", contentType: "text/plain", baseUrl: uploads.url };
    await client.send(target(false), request, caller, context);
    expect(uploads.requests.at(-1)!.url).toBe("/v1/files");
    const before = uploads.requests.length;
    await client.send(target(true), request, caller, context);
    expect(uploads.requests.length).toBe(before);
    expect(main.requests.at(-1)!.url).toBe("/t/acme/v1/files");
  });
});

describe("prepareBackendRequest(target, request, caller, context)", () => {
  it("is exactly what send sends: the tenant filled in, the actor on writes, the content type and the credential", async () => {
    const request = { method: "PUT", path: "/items/a%20b", query: "x=1", headers: { "x-h": "v" }, body: "{}" };
    const actor = { ...context, actorHeader: "x-actor" };
    const prepared = prepareBackendRequest(target(false), request, { ...caller, tenant: "a corp" }, actor);
    expect(prepared).toEqual({
      method: "PUT",
      url: `${main.url}/t/a%20corp/items/a%20b?x=1`,
      origin: main.url,
      path: "/t/a%20corp/items/a%20b?x=1",
      headers: { accept: "application/json", "x-request-id": "r1", "x-h": "v", "x-actor": "client=c; user=u", "content-type": "application/json", authorization: "Bearer k" },
      body: "{}",
    });
    await client.send(target(false), request, { ...caller, tenant: "a corp" }, actor);
    const received = main.requests.at(-1)!;
    expect(`${received.method} ${received.url}`).toBe(`PUT ${prepared.path}`);
    for (const [name, value] of Object.entries(prepared.headers)) expect(received.headers[name]).toBe(value);
    expect(received.body).toBe("{}");
  });
});
