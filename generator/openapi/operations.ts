import { isObject, type JsonObject, type OpenApiDocument } from "./load-document.ts";
import { resolveRef } from "./resolve-refs.ts";

export const httpMethods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export type HttpMethod = Uppercase<(typeof httpMethods)[number]>;

/** One operation of a backend, with path-level parameters merged in. */
export interface Operation {
  readonly backend: string;
  /** The operationId, or `METHOD /path` when the document gives none. */
  readonly id: string;
  readonly hasOperationId: boolean;
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string | undefined;
  readonly description: string | undefined;
  readonly tags: readonly string[];
  readonly parameters: readonly JsonObject[];
  readonly requestBody: JsonObject | undefined;
  readonly responses: JsonObject;
  readonly deprecated: boolean;
  /** The operation's (else its path's) own server URL, variables filled with their defaults. */
  readonly server: string | undefined;
}

/** Every operation of a document, in document order. */
export function listOperations(backend: string, document: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, rawItem] of Object.entries(document.root.paths as JsonObject)) {
    const item = resolveRef(document.root, rawItem);
    if (!isObject(item)) continue;
    const shared = asArray(item.parameters).map((parameter) => resolveRef(document.root, parameter)).filter(isObject);
    for (const method of httpMethods) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const own = asArray(operation.parameters).map((parameter) => resolveRef(document.root, parameter)).filter(isObject);
      const declared = [...shared.filter((parameter) => !own.some((o) => o.name === parameter.name && o.in === parameter.in)), ...own];
      // A path template variable the document forgot to declare is still a required string.
      const undeclared = [...path.matchAll(/\{([^}]+)\}/g)]
        .map((match) => match[1]!)
        .filter((name, index, all) => all.indexOf(name) === index && !declared.some((parameter) => parameter.in === "path" && parameter.name === name));
      const parameters = [...declared, ...undeclared.map((name) => ({ name, in: "path", required: true, schema: { type: "string" } }))];
      const requestBody = resolveRef(document.root, operation.requestBody);
      const upper = method.toUpperCase() as HttpMethod;
      operations.push({
        backend,
        id: typeof operation.operationId === "string" ? operation.operationId : `${upper} ${path}`,
        hasOperationId: typeof operation.operationId === "string",
        method: upper,
        path,
        summary: text(operation.summary),
        description: text(operation.description),
        tags: asArray(operation.tags).filter((tag): tag is string => typeof tag === "string"),
        parameters,
        requestBody: isObject(requestBody) ? requestBody : undefined,
        responses: isObject(operation.responses) ? operation.responses : {},
        deprecated: operation.deprecated === true,
        server: differentFrom(serverUrl(operation.servers) ?? serverUrl(item.servers), serverUrl(document.root.servers)),
      });
    }
  }
  return operations;
}

/** The first server's URL with its variables' defaults; only absolute http(s) URLs (a relative one would be relative to the document's location). */
function serverUrl(servers: unknown): string | undefined {
  const first = asArray(servers)[0];
  if (!isObject(first) || typeof first.url !== "string") return undefined;
  const variables = isObject(first.variables) ? first.variables : {};
  const url = first.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isObject(variable) && typeof variable.default === "string" ? variable.default : whole;
  });
  return /^https?:\/\/[^{}\s]+$/.test(url) ? url.replace(/\/+$/, "") : undefined;
}

function differentFrom(server: string | undefined, documentServer: string | undefined): string | undefined {
  return server === documentServer ? undefined : server;
}

/** A non-blank string, else undefined (an empty description is no description). */
function text(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
