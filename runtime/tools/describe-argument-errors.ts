import type { ArgumentError } from "../handler-api.ts";

/**
 * Turns validator errors into sentences a model can act on: each names the argument, what is
 * wrong and what would be right. One line per problem, duplicates removed.
 */
export function describeArgumentErrors(errors: readonly ArgumentError[], allowed: readonly string[]): string[] {
  const lines: string[] = [];
  for (const error of errors) {
    const line = describe(error, allowed);
    if (line !== undefined && !lines.includes(line)) lines.push(line);
  }
  return lines;
}

function describe(error: ArgumentError, allowed: readonly string[]): string | undefined {
  const at = argumentPath(error.instancePath);
  const params = error.params;
  switch (error.keyword) {
    case "required":
      return `${quote(join(at, String(params.missingProperty)))} is required`;
    case "additionalProperties":
      return at === ""
        ? `unknown argument ${quote(String(params.additionalProperty))}; allowed arguments: ${allowed.join(", ") || "none"}`
        : `${quote(at)} has an unknown field ${quote(String(params.additionalProperty))}`;
    case "type":
      return `${subject(at)} must be ${article(String(params.type).replace(",", " or "))}`;
    case "enum":
      return `${subject(at)} must be one of: ${(params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(", ")}`;
    case "const":
      return `${subject(at)} must be ${JSON.stringify(params.allowedValue)}`;
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum":
      return `${subject(at)} must be ${comparison(error.keyword)} ${String(params.limit)}`;
    case "minLength":
      return `${subject(at)} must be at least ${String(params.limit)} character${params.limit === 1 ? "" : "s"} long`;
    case "maxLength":
      return `${subject(at)} must be at most ${String(params.limit)} characters long`;
    case "minItems":
      return `${subject(at)} must have at least ${String(params.limit)} item${params.limit === 1 ? "" : "s"}`;
    case "maxItems":
      return `${subject(at)} must have at most ${String(params.limit)} items`;
    case "uniqueItems":
      return `${subject(at)} must not repeat items (items ${String(params.j)} and ${String(params.i)} are equal)`;
    case "pattern":
      return `${subject(at)} must match the pattern ${String(params.pattern)}`;
    case "format":
      return `${subject(at)} must be a valid ${String(params.format)}${formatExample(String(params.format))}`;
    case "multipleOf":
      return `${subject(at)} must be a multiple of ${String(params.multipleOf)}`;
    case "oneOf":
    case "anyOf":
      return `${subject(at)} does not match any of the allowed shapes`;
    case "if":
    case "not":
      return `${subject(at)} is not allowed in this form`;
    default:
      return `${subject(at)} ${error.message ?? "is invalid"}`;
  }
}

/** `/filters/0/field` → `filters[0].field`. */
function argumentPath(pointer: string): string {
  if (pointer === "") return "";
  return pointer
    .slice(1)
    .split("/")
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), "");
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function subject(path: string): string {
  return path === "" ? "the arguments" : quote(path);
}

function quote(name: string): string {
  return `\`${name}\``;
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function comparison(keyword: string): string {
  return { minimum: ">=", maximum: "<=", exclusiveMinimum: ">", exclusiveMaximum: "<" }[keyword] ?? keyword;
}

function formatExample(format: string): string {
  const examples: Record<string, string> = { date: "2026-01-31", "date-time": "2026-01-31T09:00:00Z", email: "name@example.com", uri: "https://example.com/x", uuid: "123e4567-e89b-12d3-a456-426614174000" };
  return examples[format] ? ` (for example ${examples[format]})` : "";
}
