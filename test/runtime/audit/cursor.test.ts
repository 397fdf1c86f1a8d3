import { describe, expect, it } from "vitest";
import { InvalidAuditQueryError } from "../../../runtime/audit/index.ts";
import { decodeCursor, encodeCursor } from "../../../runtime/audit/cursor.ts";

describe("encodeCursor / decodeCursor", () => {
  it.each([
    { timeMs: 1_767_225_600_000, id: "1" },
    { timeMs: 0, id: "9223372036854775807" },
    { timeMs: -86_400_000, id: "42" },
  ])("round-trips $timeMs/$id", (position) => {
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it.each([
    { given: "", why: "empty" },
    { given: "not a cursor", why: "not base64url of ours" },
    { given: Buffer.from("v2.1.1").toString("base64url"), why: "another version" },
    { given: Buffer.from("v1.1.1; DROP TABLE audit_records").toString("base64url"), why: "trailing text" },
    { given: Buffer.from("v1.1.12345678901234567890").toString("base64url"), why: "an id larger than a bigint" },
    { given: Buffer.from("v1.99999999999999999.1").toString("base64url"), why: "a time beyond a safe integer" },
  ])("rejects $why", ({ given }) => {
    expect(() => decodeCursor(given)).toThrow(InvalidAuditQueryError);
  });
});
