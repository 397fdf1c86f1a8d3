import Handlebars from "handlebars";
import { outputTemplateOptions } from "../model/build-tool.ts";
import type { BodyTypeGap } from "../model/body-type-gaps.ts";
import type { Binding, ToolModel, ValueExpression } from "../model/types.ts";
import { Code, code, identifier, joinCode, json, toolIdentifier } from "./code.ts";
import { argsTypeName, resultTypeName } from "./type-names.ts";
import { render } from "./templates.ts";

/**
 * The module of one tool: request building, output plan and text template. JavaScript typed by
 * JSDoc and checked by tsc (`// @ts-check`), so that Node imports it as it is: stripping the
 * types of a TypeScript module per tool was most of a large API's start-up (Stripe's 468: ~1 s).
 */
export function emitHandler(tool: ToolModel, backendTypesModule: string, handlerApiModule: string): string {
  const success = tool.output.success;
  const responseType = tool.typedOperation && success ? code`operations[${tool.operationId}]["responses"][${new Code(/^\d+$/.test(success.status) ? success.status : JSON.stringify(success.status))}]["content"][${success.mediaType}]` : undefined;
  const statements = buildStatements(tool);
  const requestBody = tool.typedOperation && typedBody(tool) ? requestBodyTyping(tool) : undefined;
  const helpers = ["appendCookie", "appendQuery", "appendStyledQuery", "compileTemplate", "encodeFormBody", "encodeMultipartBody", "encodePathSegment"].filter((helper) =>
    helper === "compileTemplate" ? tool.output.template !== undefined : statements.text.includes(`${helper}(`),
  );
  return render("handler.js", {
    source: `${tool.source.file}:${tool.source.line}`,
    name: tool.name,
    method: tool.method,
    path: tool.path,
    backend: tool.backend,
    operationId: tool.operationId,
    backendTypesModule,
    handlerApiModule,
    typedOperation: tool.typedOperation && (responseType !== undefined || typedBody(tool)),
    responseType,
    requestBodyType: requestBody?.type,
    relaxed: requestBody?.relaxed ?? false,
    argsType: code`components["schemas"][${argsTypeName(tool.name)}]`,
    resultType: tool.outputSchema ? code`components["schemas"][${resultTypeName(tool.name)}]` : undefined,
    statements,
    helpers: helpers.length > 0 ? joinCode(helpers.map((helper) => identifier(helper)), ", ") : undefined,
    output: { json: tool.output.json, pointer: tool.output.pointer ?? null, pick: tool.output.pick ?? null, wrap: tool.output.wrap },
    template: tool.output.template !== undefined,
    templateExport: toolIdentifier(tool.name).text,
  });
}

/** The module of a composite tool: its steps (data, interpreted by the runtime) and its text template. */
export function emitComposite(tool: ToolModel, handlerApiModule: string): string {
  const steps = tool.composite!.steps;
  return render("composite.js", {
    source: `${tool.source.file}:${tool.source.line}`,
    name: tool.name,
    stepTools: steps.map((step) => step.tool).join(", "),
    handlerApiModule,
    steps,
    template: tool.output.template !== undefined,
    templateExport: toolIdentifier(tool.name).text,
  });
}

/**
 * The type a JSON body is built as: the backend's request body type, relaxed in the fields whose
 * argument types differ from it by design (`RelaxFields`), with what the handler's comment says why.
 */
function requestBodyTyping(tool: ToolModel): { type: Code; relaxed: false | { readOnly: boolean; discriminator: boolean; notDescribed: boolean } } {
  const type = code`NonNullable<operations[${tool.operationId}]["requestBody"]>["content"][${tool.requestMediaType}]`;
  const gaps = [...tool.bodyTypeGaps];
  if (gaps.length === 0) return { type, relaxed: false };
  const union = (fields: readonly string[]) => (fields.length === 0 ? code`never` : joinCode(fields.map((field) => json(field)), " | "));
  const unchecked = gaps.filter(([, kinds]) => kinds.includes("not-described")).map(([field]) => field);
  const loose = gaps.filter(([, kinds]) => !kinds.includes("not-described")).map(([field]) => field);
  const has = (kind: BodyTypeGap) => gaps.some(([field, kinds]) => loose.includes(field) && kinds.includes(kind));
  return {
    type: unchecked.length > 0 ? code`RelaxFields<${type}, ${union(loose)}, ${union(unchecked)}>` : code`RelaxFields<${type}, ${union(loose)}>`,
    relaxed: { readOnly: has("read-only"), discriminator: has("discriminator"), notDescribed: unchecked.length > 0 },
  };
}

/** JSON object bodies are built typed by the backend's own request type. */
function typedBody(tool: ToolModel): boolean {
  return tool.requestMediaType !== undefined && tool.bodyKind === "fields" && tool.requestEncoding === "json";
}


function buildStatements(tool: ToolModel): Code {
  const lines: Code[] = [];
  const argumentsUsed = tool.bindings.some((binding) => binding.source.kind === "argument");
  const callerUsed = tool.bindings.some((binding) => binding.source.kind === "fixed" && binding.source.value.kind === "template");
  if (!argumentsUsed) lines.push(code`  void args;`);
  if (!callerUsed) lines.push(code`  void caller;`);

  const pathBindings = new Map(tool.bindings.filter((binding) => binding.in === "path").map((binding) => [binding.name, binding]));
  const segments = tool.path.split(/(\{[^}]+\})/).filter((part) => part !== "");
  const pathParts = segments.map((segment) => {
    const parameter = /^\{(.+)\}$/.exec(segment)?.[1];
    const binding = parameter === undefined ? undefined : pathBindings.get(parameter);
    if (parameter === undefined) return json(segment);
    if (!binding) throw new Error(`path parameter ${parameter} of ${tool.operationId} has no binding`);
    return code`encodePathSegment(${valueOf(binding)})`;
  });
  lines.push(code`  const path = ${joinCode(pathParts.length > 0 ? pathParts : [json("")], " + ")};`);

  const query = tool.bindings.filter((binding) => binding.in === "query");
  if (query.length > 0) {
    lines.push(code`  /** @type {string[]} */ const query = [];`);
    for (const binding of query) {
      const style = binding.serialization;
      lines.push(optional(binding, style ? code`appendStyledQuery(query, ${binding.name}, ${valueOf(binding)}, ${style});` : code`appendQuery(query, ${binding.name}, ${valueOf(binding)});`));
    }
  }
  const headers = tool.bindings.filter((binding) => binding.in === "header");
  const cookies = tool.bindings.filter((binding) => binding.in === "cookie");
  if (headers.length > 0 || cookies.length > 0) {
    lines.push(code`  /** @type {Record<string, string>} */ const headers = {};`);
    for (const binding of headers) lines.push(optional(binding, code`headers[${binding.name.toLowerCase()}] = String(${valueOf(binding)});`));
  }
  if (cookies.length > 0) {
    lines.push(code`  /** @type {string[]} */ const cookies = [];`);
    for (const binding of cookies) lines.push(optional(binding, code`appendCookie(cookies, ${binding.name}, ${valueOf(binding)});`));
    lines.push(code`  if (cookies.length > 0) headers["cookie"] = cookies.join("; ");`);
  }
  const body = tool.bindings.filter((binding) => binding.in === "body");
  const encoding = tool.requestEncoding ?? "json";
  if (tool.bodyKind === "fields") {
    // Typed by the backend's own request body type, so a mapping the backend cannot take
    // (say, a string injected into a numeric field) fails the type check of generated/
    // (relaxed where the argument types differ from it by design: see `requestBodyTyping`).
    lines.push(tool.typedOperation && typedBody(tool) ? code`  /** @type {Partial<RequestBody>} */ const body = {};` : code`  /** @type {Record<string, unknown>} */ const body = {};`);
    for (const binding of body) {
      // Assigning "__proto__" would set the prototype instead of a field.
      const assign = binding.name === "__proto__" ? code`Object.defineProperty(body, "__proto__", { value: ${valueOf(binding)}, enumerable: true });` : code`body[${binding.name}] = ${valueOf(binding)};`;
      lines.push(optional(binding, assign));
    }
  }
  const whole = tool.bodyKind === "whole" && body[0] ? valueOf(body[0]) : undefined;
  let bodyExpression: Code = code`undefined`;
  const extra: Code[] = [];
  // A JSON media type of its own (application/merge-patch+json, application/vnd.x+json) is sent as the document names it.
  const ownJsonType = encoding === "json" && tool.requestMediaType !== undefined && !/^application\/json\s*(;|$)/i.test(tool.requestMediaType);
  if (tool.bodyKind === "fields" && encoding === "form") {
    bodyExpression = code`encodeFormBody(body, ${tool.formEncoding})`;
    extra.push(code`contentType: ${tool.requestMediaType}`);
  } else if (tool.bodyKind === "fields" && encoding === "multipart") {
    lines.push(code`  const multipart = encodeMultipartBody(body, ${tool.formEncoding});`);
    bodyExpression = code`multipart.body`;
    extra.push(code`contentType: multipart.contentType`);
  } else if (tool.bodyKind === "fields") bodyExpression = code`JSON.stringify(body)`;
  else if (whole && encoding === "raw") {
    bodyExpression = body[0]!.source.kind === "argument" ? code`${whole} === undefined ? undefined : String(${whole})` : code`String(${whole})`;
    extra.push(code`contentType: ${tool.requestMediaType}`);
  } else if (whole) bodyExpression = code`JSON.stringify(${whole})`;
  if (ownJsonType && (tool.bodyKind === "fields" || whole)) extra.push(code`contentType: ${tool.requestMediaType}`);
  if (tool.server !== undefined) extra.push(code`baseUrl: ${tool.server}`);
  const hasHeaders = headers.length > 0 || cookies.length > 0;
  lines.push(
    code`  return { method: ${tool.method}, path, query: ${query.length > 0 ? code`query.join("&")` : json("")}, headers: ${hasHeaders ? code`headers` : code`undefined`}, body: ${bodyExpression}${new Code(extra.map((part) => `, ${part.text}`).join(""))} };`,
  );
  return joinCode(lines);
}

/** A statement that runs only when an optional argument was given. */
function optional(binding: Binding, statement: Code): Code {
  if (binding.source.kind === "argument") return code`  if (${argumentAccess(binding.source.argument)} !== undefined) ${statement}`;
  return code`  ${statement}`;
}

function valueOf(binding: Binding): Code {
  return binding.source.kind === "argument" ? argumentAccess(binding.source.argument) : fixedValue(binding.source.value);
}

function argumentAccess(name: string): Code {
  return code`args[${name}]`;
}

function fixedValue(value: ValueExpression): Code {
  if (value.kind === "literal") return json(value.value);
  return joinCode(
    value.parts.map((part) => ("text" in part ? json(part.text) : code`caller[${part.caller}]`)),
    " + ",
  );
}

/** Every output template, precompiled by Handlebars at generate time, in one JavaScript module. */
export function emitTemplates(tools: readonly ToolModel[]): { js: string; dts: string } | undefined {
  const templated = tools.filter((tool) => tool.output.template !== undefined);
  if (templated.length === 0) return undefined;
  const header = "// Generated by `toolgate generate`: output text templates, precompiled by Handlebars. Do not edit.";
  const js = templated.map((tool) => code`export const ${toolIdentifier(tool.name)} = ${new Code(Handlebars.precompile(tool.output.template!, outputTemplateOptions) as string)};`.text);
  const dts = templated.map((tool) => code`export declare const ${toolIdentifier(tool.name)}: unknown;`.text);
  return { js: [header, ...js, ""].join("\n"), dts: [header, ...dts, ""].join("\n") };
}
