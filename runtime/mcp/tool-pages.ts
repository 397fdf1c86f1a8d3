import { InvalidParamsError } from "../errors.ts";
import type { ToolDefinition } from "../handler-api.ts";

/**
 * The tools/list answer, serialised once at start-up: one JSON text per page. A cursor is an
 * opaque token naming the next page; an unknown cursor is invalid params (MCP pagination).
 */
export class ToolPages {
  readonly #pages: readonly string[];
  readonly #cursors: ReadonlyMap<string, number>;

  constructor(definitions: readonly ToolDefinition[], pageSize: number) {
    const cursorOf = (index: number) => Buffer.from(`page:${index}`).toString("base64url");
    const pages: string[] = [];
    const cursors = new Map<string, number>();
    const count = Math.max(1, Math.ceil(definitions.length / pageSize));
    for (let index = 0; index < count; index++) {
      const tools = definitions.slice(index * pageSize, (index + 1) * pageSize);
      const next = index + 1 < count ? cursorOf(index + 1) : undefined;
      pages.push(JSON.stringify(next === undefined ? { tools } : { tools, nextCursor: next }));
      if (index > 0) cursors.set(cursorOf(index), index);
    }
    this.#pages = pages;
    this.#cursors = cursors;
  }

  /** The serialised page for a cursor (the first page without one). */
  page(cursor: unknown): string {
    if (cursor === undefined) return this.#pages[0]!;
    const index = typeof cursor === "string" ? this.#cursors.get(cursor) : undefined;
    if (index === undefined) throw new InvalidParamsError("Invalid params: unknown cursor; call tools/list without a cursor to start over");
    return this.#pages[index]!;
  }
}
