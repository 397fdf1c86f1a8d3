import type { GetPromptResult } from "@modelcontextprotocol/sdk/types.js";
import { InvalidParamsError } from "../errors.ts";
import type { GeneratedPrompt } from "../handler-api.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * prompts/get: checks the arguments against the prompt's declared types and renders its
 * messages. A missing required argument or a value that does not read as its type is invalid
 * params (MCP), naming the argument; optional arguments left out render as empty. A boolean
 * argument reaches the template as a boolean, so `{{#if flag}}` is false for "false" (a
 * non-empty string would be true).
 */
export function getPrompt(prompt: GeneratedPrompt, rawArguments: unknown): GetPromptResult {
  if (rawArguments !== undefined && (rawArguments === null || typeof rawArguments !== "object" || Array.isArray(rawArguments))) {
    throw new InvalidParamsError("Invalid params: prompt arguments must be an object of strings");
  }
  const given = (rawArguments ?? {}) as Record<string, unknown>;
  const known = new Set(prompt.definition.arguments.map((argument) => argument.name));
  const problems: string[] = [];
  for (const name of Object.keys(given)) if (!known.has(name)) problems.push(`unknown argument "${name}"${known.size ? ` (arguments: ${[...known].join(", ")})` : ""}`);
  const context: Record<string, string | boolean> = Object.create(null);
  for (const argument of prompt.definition.arguments) {
    const value = Object.hasOwn(given, argument.name) ? given[argument.name] : undefined;
    if (value === undefined || value === "") {
      if (argument.required) problems.push(`"${argument.name}" is required`);
      context[argument.name] = "";
      continue;
    }
    if (typeof value !== "string") {
      problems.push(`"${argument.name}" must be a string`);
      continue;
    }
    const check = prompt.checks.find((entry) => entry.name === argument.name);
    const problem = check && typeProblem(value, check.type, check.enum);
    if (problem) problems.push(`"${argument.name}" ${problem}`);
    context[argument.name] = check?.type === "boolean" ? value === "true" : value;
  }
  if (problems.length) throw new InvalidParamsError(`Invalid params for prompt ${prompt.definition.name}: ${problems.join("; ")}`);
  return {
    ...(prompt.definition.description ? { description: prompt.definition.description } : {}),
    messages: prompt.messages.map((message) => ({ role: message.role, content: { type: "text", text: message.render(context) } })),
  };
}

function typeProblem(value: string, type: string, allowed: readonly string[] | undefined): string | undefined {
  if (allowed && !allowed.includes(value)) return `must be one of ${allowed.join(", ")}`;
  switch (type) {
    case "integer":
      return /^-?\d+$/.test(value) ? undefined : "must be a whole number";
    case "number":
      return value.trim() !== "" && Number.isFinite(Number(value)) ? undefined : "must be a number";
    case "boolean":
      return value === "true" || value === "false" ? undefined : 'must be "true" or "false"';
    case "date":
      return DATE.test(value) && !Number.isNaN(Date.parse(value)) ? undefined : "must be a date (YYYY-MM-DD)";
    default:
      return undefined;
  }
}
