/**
 * Building blocks for emitted source code that cannot inject: values only ever reach code as
 * JSON literals, names only as checked identifiers, and code only as `Code` made from those.
 */
export class Code {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

/** A JSON literal, also valid JavaScript (U+2028/2029 escaped for older parsers). */
export function json(value: unknown): Code {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError("json(): value has no JSON form");
  return new Code(text.replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029"));
}

const reserved = new Set(
  "break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await".split(" "),
);

/** A checked JavaScript identifier; anything else throws. */
export function identifier(name: string): Code {
  if (!/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) || reserved.has(name)) throw new TypeError(`identifier(): ${JSON.stringify(name)} is not a safe identifier`);
  return new Code(name);
}

/** Tagged template for code: interpolated `Code` is inserted as is, every other value as a JSON literal. */
export function code(strings: TemplateStringsArray, ...values: unknown[]): Code {
  let text = strings[0] ?? "";
  values.forEach((value, index) => {
    text += (value instanceof Code ? value.text : json(value).text) + (strings[index + 1] ?? "");
  });
  return new Code(text);
}

/** Joins code fragments. */
export function joinCode(parts: readonly Code[], separator = "\n"): Code {
  return new Code(parts.map((part) => part.text).join(separator));
}

/** A stable identifier for a tool name (tool names may contain `.` and `-`). */
export function toolIdentifier(name: string): Code {
  return identifier(`tool_${name.replace(/[^A-Za-z0-9_]/g, "_")}`);
}

/** JSON text with two-space indentation and a final newline, as every emitted JSON file is written. */
export function jsonFile(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
