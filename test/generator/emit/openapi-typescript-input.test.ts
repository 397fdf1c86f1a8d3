import openapiTS, { astToString } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { emitBackendTypes } from "../../../generator/emit/emit-types.ts";
import { toolTypesSchema } from "../../../generator/emit/openapi-typescript-input.ts";

type Json = Record<string, unknown>;

/** The emitted TypeScript with whitespace collapsed, so a type can be looked for as one line. */
const flat = (text: string) => text.replace(/\/\*\*[\s\S]*?\*\//g, "").replace(/\s+/g, " ");
const ref = (name: string, kind = "schemas") => ({ $ref: `#/components/${kind}/${name}` });
const document = (components: Json, paths: Json = {}) => ({ openapi: "3.1.0", info: { title: "t", version: "1" }, paths, components });

/** Intercom's create_data_event_request: which of the properties are required, said by anyOf. */
const requiredOneOfThem = {
  type: "object",
  properties: { id: { type: "string" }, email: { type: "string" } },
  anyOf: [{ title: "id required", required: ["id"] }, { required: ["email"] }],
};

describe("backend types: what openapi-typescript is given", () => {
  const cases: { name: string; given: Json; want: string; not?: string }[] = [
    {
      name: "a request body that is a $ref to another's $ref is typed by the body the chain ends at (python-client baseline's NestedRef)",
      given: document(
        { schemas: { AModel: { type: "object", properties: { a: { type: "string" } } } }, requestBodies: { NestedRef: ref("ARequestBody", "requestBodies"), ARequestBody: { required: true, content: { "application/json": { schema: ref("AModel") } } } } },
        { "/refs": { post: { operationId: "refs", requestBody: ref("NestedRef", "requestBodies"), responses: { "200": { description: "OK" } } } } },
      ),
      want: 'NestedRef: { content: { "application/json": components["schemas"]["AModel"]; }; };',
      not: '"*/*"?: never',
    },
    {
      name: "a response that is a $ref to another's $ref, likewise",
      given: document({ responses: { Alias: { ...ref("Ok", "responses"), description: "alias" }, Ok: { description: "ok", content: { "application/json": { schema: { type: "string" } } } } } }),
      want: 'Alias: { headers: { [name: string]: unknown; }; content: { "application/json": string; }; };',
    },
    {
      name: "an anyOf whose branches only say which properties are required is typed by the schema's own properties (Intercom)",
      given: document({ schemas: { Event: requiredOneOfThem } }),
      want: "Event: { email?: string; id?: string; };",
      not: "unknown",
    },
    {
      name: "typed branches stay beside the schema's own type",
      given: document({ schemas: { Event: { ...requiredOneOfThem, anyOf: [...requiredOneOfThem.anyOf, { type: "object", properties: { other: { type: "number" } } }] } } }),
      want: "Event: { email?: string; id?: string; } | { other?: number; };",
    },
    {
      name: "without a type of the schema's own, the branches are the whole type and stay",
      given: document({ schemas: { Anything: { anyOf: [{ required: ["id"] }, { required: ["email"] }] } } }),
      want: "Anything: unknown | unknown;",
    },
    {
      name: "a schema under the response named default (a name there, not the keyword) is rewritten too",
      given: document({}, { "/e": { get: { operationId: "e", responses: { default: { description: "d", content: { "application/json": { schema: requiredOneOfThem } } } } } } }),
      want: '"application/json": { email?: string; id?: string; };',
    },
  ];
  it.each(cases)("$name", async ({ given, want, not }) => {
    const before = structuredClone(given);
    const types = flat(await emitBackendTypes("api", given));
    expect(types).toContain(want);
    if (not !== undefined) expect(types).not.toContain(not);
    expect(given).toEqual(before);
  });
});

describe("tool types: what openapi-typescript is given", () => {
  const typesOf = async (schema: Json) => flat(astToString(await openapiTS(document({ schemas: { "t.args": toolTypesSchema(schema) } }) as never, { silent: true, alphabetize: true })));
  const cases: { name: string; given: Json; want: string }[] = [
    {
      name: "a schema that accepts no value (an empty enum, as the generator writes it) is never (Discord's action)",
      given: { type: "object", properties: { action: { type: "string", description: "d", allOf: [{ enum: ["STARTED", "APPROVED"] }], not: {} } } },
      want: '"t.args": { action?: never; };',
    },
    {
      name: "not: true accepts no value either",
      given: { type: "object", required: ["a"], properties: { a: { type: ["string", "null"], not: true } } },
      want: '"t.args": { a: never; };',
    },
    {
      name: "a property called not is a property",
      given: { type: "object", properties: { not: {}, x: { type: "string" } } },
      want: '"t.args": { not?: unknown; x?: string; };',
    },
    {
      name: "an argument whose anyOf only says which properties are required is typed by its properties (Intercom's visitor)",
      given: { type: "object", properties: { visitor: requiredOneOfThem } },
      want: '"t.args": { visitor?: { email?: string; id?: string; }; };',
    },
  ];
  it.each(cases)("$name", async ({ given, want }) => {
    expect(await typesOf(given)).toContain(want);
  });
});
