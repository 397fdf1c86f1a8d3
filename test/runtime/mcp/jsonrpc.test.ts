import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../../runtime/errors.ts";
import { classify, errorResponse, resultResponse } from "../../../runtime/mcp/jsonrpc.ts";

describe("classify(message)", () => {
  it.each([
    { given: { jsonrpc: "2.0", id: 1, method: "ping" }, want: { kind: "request", id: 1, method: "ping", params: undefined } },
    { given: { jsonrpc: "2.0", id: "a", method: "tools/list", params: {} }, want: { kind: "request", id: "a", method: "tools/list", params: {} } },
    { given: { jsonrpc: "2.0", method: "notifications/initialized" }, want: { kind: "notification", method: "notifications/initialized", params: undefined } },
    { given: { jsonrpc: "2.0", id: 3, result: {} }, want: { kind: "response" } },
    { given: { jsonrpc: "2.0", id: 3, error: { code: 1, message: "x" } }, want: { kind: "response" } },
  ])("accepts $given", ({ given, want }) => {
    expect(classify(given)).toEqual(want);
  });

  it.each([
    { given: [], reason: "batches are not supported" },
    { given: null, reason: "expected a JSON-RPC object" },
    { given: "ping", reason: "expected a JSON-RPC object" },
    { given: { id: 1, method: "ping" }, reason: '"jsonrpc" must be "2.0"' },
    { given: { jsonrpc: "2.0", id: 1.5, method: "ping" }, reason: '"id" must be a string or an integer' },
    { given: { jsonrpc: "2.0", id: null, method: "ping" }, reason: '"id" must be a string or an integer' },
    { given: { jsonrpc: "2.0", id: 1, method: "ping", params: [1] }, reason: '"params" must be an object' },
    { given: { jsonrpc: "2.0", id: 1, method: 7 }, reason: '"method" must be a string' },
  ])("refuses $given: $reason", ({ given, reason }) => {
    expect(() => classify(given)).toThrow(InvalidRequestError);
    expect(() => classify(given)).toThrow(reason);
  });
});

describe("responses", () => {
  it("resultResponse embeds already-serialised JSON", () => {
    expect(JSON.parse(resultResponse("x", '{"a":1}'))).toEqual({ jsonrpc: "2.0", id: "x", result: { a: 1 } });
  });

  it("errorResponse carries id, code and message", () => {
    expect(JSON.parse(errorResponse(null, -32700, "Parse error"))).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
  });
});
