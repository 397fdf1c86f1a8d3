import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { InvalidFieldError, InvalidJsonError, MissingFieldError } from './errors.ts';

export const OPENAPI_PATH = new URL('./openapi.yaml', import.meta.url);

const HTTP_METHODS = ['get', 'post', 'patch', 'put', 'delete'] as const;
const COMPONENTS_ID = 'urn:sample-backend:components';

/** One OpenAPI operation, resolved once at start-up into validators the request path can call. */
export interface Operation {
  operationId: string;
  method: string;
  /** OpenAPI path without the `/tenants/{tenant}` prefix the server URL carries. */
  path: string;
  successStatus: number;
  /** Coerces, defaults and checks query parameters; throws a field error. */
  parseQuery(query: Record<string, string | string[] | undefined>): Record<string, unknown>;
  /** Checks a JSON request body; absent for operations without one. */
  parseBody: ((body: unknown) => Record<string, unknown>) | undefined;
}

interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  schema?: Record<string, unknown>;
}

interface OperationObject {
  operationId: string;
  parameters?: ParameterObject[];
  requestBody?: { content: { 'application/json': { schema: Record<string, unknown> } } };
  responses: Record<string, unknown>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, unknown> };
}

export function readOpenApiDocument(): OpenApiDocument {
  return parse(readFileSync(OPENAPI_PATH, 'utf8')) as OpenApiDocument;
}

/** Rewrites `#/components/schemas/X` into an absolute reference Ajv can resolve on its own. */
function absoluteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(absoluteRefs);
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    result[key] = key === '$ref' && typeof item === 'string'
      ? item.replace('#/components/schemas/', `${COMPONENTS_ID}#/$defs/`)
      : absoluteRefs(item);
  }
  return result;
}

function createAjv(options: { coerce: boolean }): Ajv2020 {
  const ajv = new Ajv2020({
    allErrors: false, allowUnionTypes: true, useDefaults: options.coerce, coerceTypes: options.coerce ? 'array' : false,
  });
  // ajv-formats is CommonJS; its default export arrives wrapped under Node's ESM interop.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => void;
  addFormats(ajv);
  return ajv;
}

/** `/filters/0/field` → `filters[0].field`. */
function fieldPath(instancePath: string, property?: string): string {
  const segments = instancePath.split('/').slice(1);
  if (property !== undefined) segments.push(property);
  return segments.reduce((path, segment) => (/^\d+$/.test(segment) ? `${path}[${segment}]` : path === '' ? segment : `${path}.${segment}`), '');
}

function toFieldError(error: ErrorObject, noun: string): Error {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    const field = fieldPath(error.instancePath, String(params.missingProperty));
    return new MissingFieldError(field, `${noun} '${field}' is required`);
  }
  if (error.keyword === 'additionalProperties') {
    const field = fieldPath(error.instancePath, String(params.additionalProperty));
    return new InvalidFieldError(field, `unknown ${noun} '${field}'`);
  }
  const field = fieldPath(error.instancePath);
  if (field === '') return new InvalidJsonError(`request body ${error.message ?? 'is invalid'}`);
  if (error.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).filter((value) => value !== null).join(', ');
    return new InvalidFieldError(field, `${noun} '${field}' must be one of: ${allowed}`);
  }
  if (error.keyword === 'format') return new InvalidFieldError(field, `${noun} '${field}' must be a valid ${String(params.format)}`);
  return new InvalidFieldError(field, `${noun} '${field}' ${error.message ?? 'is invalid'}`);
}

function querySchema(parameters: readonly ParameterObject[]): { schema: Record<string, unknown>; arrays: Set<string> } {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  const arrays = new Set<string>();
  for (const parameter of parameters) {
    if (parameter.in !== 'query') continue;
    properties[parameter.name] = parameter.schema ?? {};
    if (parameter.required === true) required.push(parameter.name);
    if (parameter.schema?.type === 'array') arrays.add(parameter.name);
  }
  return { schema: { type: 'object', properties, required, additionalProperties: false }, arrays };
}

function queryParser(validate: ValidateFunction, arrays: ReadonlySet<string>): Operation['parseQuery'] {
  return function parseQuery(query) {
    const values: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(query)) {
      if (raw === undefined) continue;
      // Array parameters may be repeated (`?a=x&a=y`) or comma-separated (`?a=x,y`).
      values[name] = arrays.has(name) ? [raw].flat().flatMap((item) => item.split(',')).filter((item) => item !== '') : raw;
    }
    if (!validate(values)) throw toFieldError(validate.errors?.[0] as ErrorObject, 'query parameter');
    return values;
  };
}

function bodyParser(validate: ValidateFunction): NonNullable<Operation['parseBody']> {
  return function parseBody(body) {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new InvalidJsonError('request body must be a JSON object');
    if (!validate(body)) throw toFieldError(validate.errors?.[0] as ErrorObject, 'field');
    return body as Record<string, unknown>;
  };
}

/** Reads openapi.yaml once and compiles a query (and body) validator for every operation. */
export function loadOperations(document: OpenApiDocument = readOpenApiDocument()): Operation[] {
  const queryAjv = createAjv({ coerce: true });
  const bodyAjv = createAjv({ coerce: false });
  const components = { $id: COMPONENTS_ID, $defs: absoluteRefs(document.components.schemas) };
  queryAjv.addSchema(components);
  bodyAjv.addSchema(components);
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const { schema, arrays } = querySchema(operation.parameters ?? []);
      const bodySchema = operation.requestBody?.content['application/json'].schema;
      operations.push({
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        successStatus: Object.hasOwn(operation.responses, '201') ? 201 : 200,
        parseQuery: queryParser(queryAjv.compile(absoluteRefs(schema) as object), arrays),
        parseBody: bodySchema === undefined ? undefined : bodyParser(bodyAjv.compile(absoluteRefs(bodySchema) as object)),
      });
    }
  }
  return operations;
}
