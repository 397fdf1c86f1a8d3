import { describe, expect, it } from "vitest";
import { InvalidParamsError } from "../../../runtime/errors.ts";
import type { ToolDefinition } from "../../../runtime/handler-api.ts";
import { ToolPages } from "../../../runtime/mcp/tool-pages.ts";

/** A tool whose definition is about `bytes` long as JSON. */
const tool = (name: string, bytes = 0): ToolDefinition => ({
  name,
  description: "x".repeat(bytes),
  inputSchema: { type: "object" },
  annotations: {},
});

/** Every page, following nextCursor from the first. */
function allPages(pages: ToolPages): { tools: ToolDefinition[]; nextCursor?: string }[] {
  const out: { tools: ToolDefinition[]; nextCursor?: string }[] = [];
  let cursor: string | undefined;
  do {
    const page = JSON.parse(pages.page(cursor)) as { tools: ToolDefinition[]; nextCursor?: string };
    out.push(page);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return out;
}

describe("new ToolPages(definitions, pageSize, maxPageBytes)", () => {
  it.each([
    { given: { tools: 0, pageSize: 100 }, want: [0] },
    { given: { tools: 5, pageSize: 100 }, want: [5] },
    { given: { tools: 250, pageSize: 100 }, want: [100, 100, 50] },
    { given: { tools: 7, pageSize: 3 }, want: [3, 3, 1] },
  ])("small definitions: pages of pageSize ($given.tools tools, pageSize $given.pageSize)", ({ given, want }) => {
    const definitions = Array.from({ length: given.tools }, (_, index) => tool(`t${index}`));
    const pages = allPages(new ToolPages(definitions, given.pageSize));
    expect(pages.map((page) => page.tools.length)).toEqual(want);
    expect(pages.flatMap((page) => page.tools)).toEqual(definitions);
  });

  it("ends a page early once it reaches maxPageBytes, keeping every tool in order", () => {
    const definitions = Array.from({ length: 10 }, (_, index) => tool(`t${index}`, 400));
    const pages = allPages(new ToolPages(definitions, 100, 1000));
    expect(pages.map((page) => page.tools.length)).toEqual([2, 2, 2, 2, 2]);
    expect(pages.flatMap((page) => page.tools)).toEqual(definitions);
  });

  it("puts a definition larger than maxPageBytes on a page of its own", () => {
    const definitions = [tool("small"), tool("huge", 5000), tool("after")];
    const pages = allPages(new ToolPages(definitions, 100, 1000));
    expect(pages.map((page) => page.tools.map((definition) => definition.name))).toEqual([["small"], ["huge"], ["after"]]);
  });

  it("serialises a page exactly as JSON.stringify would", () => {
    const definitions = [tool("a"), tool("b")];
    const pages = new ToolPages(definitions, 1);
    const first = JSON.parse(pages.page(undefined)) as { nextCursor: string };
    expect(pages.page(undefined)).toBe(JSON.stringify({ tools: [definitions[0]], nextCursor: first.nextCursor }));
    expect(pages.page(first.nextCursor)).toBe(JSON.stringify({ tools: [definitions[1]] }));
  });

  it.each([{ given: "bm9wZQ" }, { given: 3 }, { given: null }])("refuses the unknown cursor $given", ({ given }) => {
    const pages = new ToolPages([tool("a"), tool("b")], 1);
    expect(() => pages.page(given)).toThrow(InvalidParamsError);
  });
});
