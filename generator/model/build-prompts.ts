import Handlebars from "handlebars";
import type { ErrorSink } from "../errors.ts";
import { locate, type PathSegment, type YamlFile } from "../load/yaml-file.ts";
import { didYouMean } from "../suggest.ts";
import type { PromptArgumentModel, PromptModel } from "./types.ts";

/** A prompt as written in a spec file's `prompts:` list. */
export interface PromptSpec {
  name: string;
  title?: string;
  description?: string;
  arguments?: { name: string; description?: string; required?: boolean; type?: PromptArgumentModel["type"]; enum?: string[] }[];
  uses?: string[];
  /** One user message; or `messages:` for several. */
  template?: string;
  messages?: { role: "user" | "assistant"; template: string }[];
}

/** Prompt templates: Handlebars built-in helpers only, no HTML escaping, unknown names are errors. */
export const promptTemplateOptions = {
  knownHelpers: { if: true, unless: true, each: true, with: true, lookup: true },
  knownHelpersOnly: true,
  noEscape: true,
  strict: true,
} as const;

const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * Resolves one prompt: its arguments, the tools it uses (which must exist) and its messages,
 * each template compiled and rendered once here with sample values, so a misspelt argument is a
 * spec error naming its line rather than a failure at prompts/get.
 */
export function buildPrompt(spec: PromptSpec, yaml: YamlFile, path: readonly PathSegment[], toolNames: readonly string[], sink: ErrorSink): PromptModel | undefined {
  const at = (...rest: PathSegment[]) => locate(yaml, [...path, ...rest]);
  const before = sink.errors.length;
  if (!NAME.test(spec.name)) sink.add(at("name"), `prompt name "${spec.name}" is not allowed`, "use 1-64 characters of A-Z, a-z, 0-9, _ . -");
  const args: PromptArgumentModel[] = [];
  (spec.arguments ?? []).forEach((argument, index) => {
    if (args.some((other) => other.name === argument.name)) sink.add(at("arguments", index, "name"), `argument "${argument.name}" is declared twice`, "give each argument its own name");
    if (argument.enum !== undefined && argument.type !== undefined && argument.type !== "string") sink.add(at("arguments", index, "enum"), "enum is for string arguments", "remove `type:` or `enum:`");
    args.push({ name: argument.name, description: argument.description, required: argument.required === true, type: argument.type ?? "string", enum: argument.enum });
  });
  (spec.uses ?? []).forEach((tool, index) => {
    if (!toolNames.includes(tool)) sink.add(at("uses", index), `prompt "${spec.name}" uses tool "${tool}", which the specs do not define`, didYouMean(tool, toolNames) ?? "name a tool of the gateway");
  });
  if ((spec.template === undefined) === (spec.messages === undefined)) {
    sink.add(at("name"), `prompt "${spec.name}" needs either \`template:\` or \`messages:\``, "`template:` is one user message; `messages:` a list of { role, template }");
    return undefined;
  }
  const messages = spec.messages ?? [{ role: "user" as const, template: spec.template! }];
  const sample = Object.fromEntries(args.map((argument) => [argument.name, sampleValue(argument)]));
  messages.forEach((message, index) => {
    const where = spec.messages ? at("messages", index, "template") : at("template");
    try {
      Handlebars.compile(message.template, promptTemplateOptions)(sample);
    } catch (error) {
      const text = (error instanceof Error ? error.message : String(error)).split("\n")[0]!;
      const missing = /"(\w+)" not defined/.exec(text)?.[1];
      sink.add(where, `prompt "${spec.name}": ${missing ? `the template uses "${missing}", which is not one of its arguments` : text}`, missing ? (didYouMean(missing, args.map((argument) => argument.name)) ?? "declare it under `arguments:`") : "templates use Handlebars: {{argument}}, {{#if argument}}…{{/if}}");
    }
  });
  if (sink.errors.length > before) return undefined;
  return { name: spec.name, title: spec.title, description: spec.description?.trim(), arguments: args, messages, uses: [...(spec.uses ?? [])].sort(), source: at("name") };
}

function sampleValue(argument: PromptArgumentModel): string {
  if (argument.enum?.length) return argument.enum[0]!;
  return { string: "text", integer: "1", number: "1.5", boolean: "true", date: "2026-01-31" }[argument.type];
}
