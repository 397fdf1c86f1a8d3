import { readFileSync } from "node:fs";
import Handlebars from "handlebars";
import { Code, identifier, json } from "./code.ts";

/**
 * The Handlebars environment for code templates. Templates are compiled in strict mode with
 * known helpers only; `json` and `ident` are the only ways a value reaches the output, and
 * `code` only passes fragments built by `code.ts`. In JSDoc comments, `commentJson` (a JSON
 * literal) and `commentType` (a type built by `code.ts`, in braces) escape `*\/`, which would end the comment.
 */
const environment = Handlebars.create();
environment.registerHelper("json", (value: unknown) => new environment.SafeString(json(value).text));
environment.registerHelper("ident", (value: unknown) => new environment.SafeString(identifier(String(value)).text));
environment.registerHelper("code", (value: unknown) => {
  if (!(value instanceof Code)) throw new TypeError("code helper: expected a Code fragment");
  return new environment.SafeString(value.text);
});

environment.registerHelper("commentJson", (value: unknown) => new environment.SafeString(inComment(json(value).text)));
environment.registerHelper("commentType", (value: unknown) => {
  if (!(value instanceof Code)) throw new TypeError("commentType helper: expected a Code fragment");
  return new environment.SafeString(`{${inComment(value.text)}}`);
});

/** Code for a block comment: `*\/` can only occur inside string literals there, where `*\\/` means the same. */
function inComment(text: string): string {
  return text.replace(/\*\//g, "*\\/");
}

export const codeTemplateHelpers = ["json", "ident", "code", "commentJson", "commentType", "each", "if", "unless"] as const;

const compiled = new Map<string, HandlebarsTemplateDelegate>();

/** Renders `generator/templates/<name>.hbs` with `context`. */
export function render(name: string, context: object): string {
  let template = compiled.get(name);
  if (!template) {
    const source = readFileSync(new URL(`../templates/${name}.hbs`, import.meta.url), "utf8");
    template = environment.compile(source, {
      strict: true,
      knownHelpersOnly: true,
      knownHelpers: Object.fromEntries(codeTemplateHelpers.map((helper) => [helper, true])),
    });
    compiled.set(name, template);
  }
  return template(context);
}
