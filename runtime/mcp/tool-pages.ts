import { InvalidParamsError } from "../errors.ts";
import type { ToolDefinition } from "../handler-api.ts";

/**
 * Bytes after which a tools/list page ends early (it still holds at least one tool). Most APIs'
 * 100 tools fit several times over; a large API's do not (Stripe's first 100: 884 KiB, which
 * took ~7 ms to answer and read on loopback; 128 KiB pages take under 1 ms). Clients follow
 * `nextCursor` whatever the page size, as MCP pagination requires.
 */
export const defaultMaxPageBytes = 128 * 1024;

/**
 * Each definition's JSON text, made once however many callers' page sets it is in: callers
 * with different tool sets get different pages, made by joining these texts.
 */
const definitionTexts = new WeakMap<ToolDefinition, { readonly text: string; readonly bytes: number }>();

function definitionText(definition: ToolDefinition): { readonly text: string; readonly bytes: number } {
  let entry = definitionTexts.get(definition);
  if (entry === undefined) {
    const text = JSON.stringify(definition);
    entry = { text, bytes: Buffer.byteLength(text) };
    definitionTexts.set(definition, entry);
  }
  return entry;
}

/**
 * The tools/list answer, serialised once at start-up: one JSON text per page. A page holds
 * `pageSize` tools, or fewer once it reaches `maxPageBytes`. A cursor is an opaque token naming
 * the next page; an unknown cursor is invalid params (MCP pagination).
 */
export class ToolPages {
  readonly #pages: readonly string[];
  readonly #cursors: ReadonlyMap<string, number>;

  constructor(definitions: readonly ToolDefinition[], pageSize: number, maxPageBytes = defaultMaxPageBytes) {
    const cursorOf = (index: number) => Buffer.from(`page:${index}`).toString("base64url");
    const groups: string[][] = [[]];
    let bytes = 0;
    for (const definition of definitions) {
      const { text, bytes: size } = definitionText(definition);
      let group = groups.at(-1)!;
      if (group.length >= pageSize || (group.length > 0 && bytes + size > maxPageBytes)) {
        group = [];
        groups.push(group);
        bytes = 0;
      }
      group.push(text);
      bytes += size + 1;
    }
    const cursors = new Map<string, number>();
    this.#pages = groups.map((group, index) => {
      if (index > 0) cursors.set(cursorOf(index), index);
      const tools = `[${group.join(",")}]`;
      return index + 1 < groups.length ? `{"tools":${tools},"nextCursor":${JSON.stringify(cursorOf(index + 1))}}` : `{"tools":${tools}}`;
    });
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
