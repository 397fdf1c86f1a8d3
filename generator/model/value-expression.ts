import { didYouMean } from "../suggest.ts";
import type { CallerField, ValueExpression } from "./types.ts";

const callerFields: readonly CallerField[] = ["client", "tenant", "user"];

/**
 * Parses an injected value: a constant, or a string with `{{caller.tenant}}`-style
 * placeholders. Returns an error message (with hint) for an unknown placeholder.
 */
export function parseValueExpression(value: string | number | boolean): ValueExpression | { error: string; hint?: string } {
  if (typeof value !== "string" || !value.includes("{{")) return { kind: "literal", value };
  const parts: ({ text: string } | { caller: CallerField })[] = [];
  let last = 0;
  for (const match of value.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)) {
    if (match.index > last) parts.push({ text: value.slice(last, match.index) });
    const name = match[1] ?? "";
    const field = name.startsWith("caller.") ? name.slice("caller.".length) : undefined;
    if (!field || !callerFields.includes(field as CallerField)) {
      const known = callerFields.map((entry) => `caller.${entry}`);
      return { error: `unknown value {{${name}}}`, hint: didYouMean(name, known) ?? `available: ${known.map((entry) => `{{${entry}}}`).join(", ")}` };
    }
    parts.push({ caller: field as CallerField });
    last = match.index + match[0].length;
  }
  if (last < value.length) parts.push({ text: value.slice(last) });
  if (parts.some((part) => "text" in part && /\{\{|\}\}/.test(part.text))) return { error: `unbalanced braces in ${JSON.stringify(value)}`, hint: "placeholders are written {{caller.tenant}}" };
  return { kind: "template", parts };
}
