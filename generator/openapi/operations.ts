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
      const parameters = [...shared.filter((parameter) => !own.some((o) => o.name === parameter.name && o.in === parameter.in)), ...own];
      const requestBody = resolveRef(document.root, operation.requestBody);
      const upper = method.toUpperCase() as HttpMethod;
      operations.push({
        backend,
        id: typeof operation.operationId === "string" ? operation.operationId : `${upper} ${path}`,
        hasOperationId: typeof operation.operationId === "string",
        method: upper,
        path,
        summary: typeof operation.summary === "string" ? operation.summary : undefined,
        description: typeof operation.description === "string" ? operation.description : undefined,
        tags: asArray(operation.tags).filter((tag): tag is string => typeof tag === "string"),
        parameters,
        requestBody: isObject(requestBody) ? requestBody : undefined,
        responses: isObject(operation.responses) ? operation.responses : {},
        deprecated: operation.deprecated === true,
      });
    }
  }
  return operations;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
