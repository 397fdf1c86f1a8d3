import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { resolveSpecs, SpecErrors } from "../../generator/index.ts";

const fixtureOpenApi = fileURLToPath(new URL("./fixtures/basic/openapi.yaml", import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), "toolgate-spec-errors-"));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const gateway = `version: 1
resource: http://127.0.0.1:3000/mcp
backends:
  shop:
    openapi: openapi.yaml
    base_url: http://127.0.0.1:4999/t/{tenant}
`;

interface Case {
  readonly name: string;
  /** Files under specs/, by path; gateway.yaml defaults to a valid one. */
  readonly files: Record<string, string>;
  /** The exact report, every problem in order. */
  readonly want: string;
}

const cases: Case[] = [
  {
    name: "a YAML syntax error points at the line",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\n   scopes: [x]\n" },
    want: "specs/tools/a.yaml:4:1: YAML syntax error: Sequence item without - indicator\n  hint: check the indentation: nested keys need more spaces than their parent, and use spaces, not tabs",
  },
  {
    name: "an unknown key suggests the right one",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\n    scope: [read:items]\n" },
    want: 'specs/tools/a.yaml:4:5: unknown key "scope" in tools[0]\n  hint: did you mean "scopes"?',
  },
  {
    name: "a missing operation is named",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    description: Gets an item.\n" },
    want: 'specs/tools/a.yaml:2:5: tools[0] is missing required key "operation"',
  },
  {
    name: "an unknown operationId suggests the closest one",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getitems\n" },
    want: 'specs/tools/a.yaml:3:16: backend "shop" has no operation "getitems"\n  hint: did you mean "getItem"?',
  },
  {
    name: "an unknown backend suggests the closest one",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    backend: shpo\n    operation: getItem\n" },
    want: 'specs/tools/a.yaml:3:14: unknown backend "shpo"\n  hint: did you mean "shop"?',
  },
  {
    name: "an unknown METHOD /path suggests the closest one",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: GET /item/{itemId}\n" },
    want: 'specs/tools/a.yaml:3:16: backend "shop" has no operation GET /item/{itemId}\n  hint: did you mean "GET /items/{itemId}"?',
  },
  {
    name: "a duplicate tool name names both places",
    files: {
      "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\n",
      "tools/b.yaml": "tools:\n  - name: get_item\n    operation: listItems\n",
    },
    want: 'specs/tools/b.yaml:2:11: tool name "get_item" is already used at specs/tools/a.yaml:2\n  hint: tool names must be unique across all spec files; rename one',
  },
  {
    name: "an invalid tool name says what is allowed",
    files: { "tools/a.yaml": "tools:\n  - name: get item!\n    operation: getItem\n" },
    want: 'specs/tools/a.yaml:2:11: tools[0].name has an invalid value "get item!"\n  hint: tool names are 1 to 64 characters of letters, digits, `_`, `-` and `.`, e.g. get_company',
  },
  {
    name: "renaming a parameter the operation lacks suggests the real one",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\n    input:\n      rename: { itemID: item_id }\n" },
    want: 'specs/tools/a.yaml:5:17: input.rename: getItem has no parameter or body field "itemID"\n  hint: did you mean "itemId"?',
  },
  {
    name: "hiding a required parameter without a value is refused",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\n    input:\n      hide: [itemId]\n" },
    want: 'specs/tools/a.yaml:5:14: input.hide: "itemId" is required by getItem, so hiding it needs a value\n  hint: add it under input.defaults or inject (e.g. inject: { itemId: "{{caller.tenant}}" })',
  },
  {
    name: "an unknown caller value in inject suggests the right one",
    files: { "tools/a.yaml": 'tools:\n  - name: create_item\n    operation: createItem\n    inject:\n      X-Tenant: "{{caller.tenent}}"\n' },
    want: 'specs/tools/a.yaml:5:17: inject.X-Tenant: unknown value {{caller.tenent}}\n  hint: did you mean "caller.tenant"?',
  },
  {
    name: "picking a field the response lacks suggests the closest",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\n    output:\n      pick: [id, nmae]\n" },
    want: 'specs/tools/a.yaml:5:18: output.pick: the response has no field "nmae"\n  hint: did you mean "name"?',
  },
  {
    name: "a pointer that does not resolve names the missing segment",
    files: { "tools/a.yaml": "tools:\n  - name: list_items\n    operation: listItems\n    output:\n      pointer: /items\n" },
    want: 'specs/tools/a.yaml:5:16: output.pointer: the response has no "items" at its top level\n  hint: fields there: data, total',
  },
  {
    name: "a broken output template is reported at its line",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\n    output:\n      template: |\n        Item {{name}}\n        {{#each tags}}x\n" },
    want: "specs/tools/a.yaml:8:1: output.template: Expecting 'OPEN_INVERSE_CHAIN', 'INVERSE', 'OPEN_ENDBLOCK', got 'EOF'\n  hint: templates use Handlebars: {{field}}, {{#each items}}…{{/each}}, {{#if x}}…{{/if}}",
  },
  {
    name: "a default that breaks the parameter's schema is refused",
    files: { "tools/a.yaml": "tools:\n  - name: list_items\n    operation: listItems\n    input:\n      defaults: { limit: 500 }\n" },
    want: 'specs/tools/a.yaml:5:19: input.defaults: 500 is not a valid value for "limit": must be <= 100',
  },
  {
    name: "an annotation that MCP does not define is refused",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\n    annotations: { readOnly: true }\n" },
    want: 'specs/tools/a.yaml:4:20: unknown key "readOnly" in tools[0].annotations\n  hint: did you mean "readOnlyHint"?',
  },
  {
    name: "a gateway without a resource URL is refused",
    files: { "gateway.yaml": "version: 1\nbackends:\n  shop: { openapi: openapi.yaml, base_url: http://127.0.0.1:4999 }\n", "tools/a.yaml": "tools: []\n" },
    want: 'specs/gateway.yaml:1:1: the file is missing required key "resource"',
  },
  {
    name: "a missing OpenAPI document is reported where it is named",
    files: { "gateway.yaml": gateway.replace("openapi: openapi.yaml", "openapi: nowhere.yaml"), "tools/a.yaml": "tools: []\n" },
    want: "specs/gateway.yaml:5:14: cannot read OpenAPI document specs/nowhere.yaml\n  hint: the path is relative to the file that names it",
  },
  {
    name: "a Swagger 2.0 document is refused with how to convert it",
    files: { "gateway.yaml": gateway.replace("openapi: openapi.yaml", "openapi: swagger.json"), "swagger.json": '{"swagger": "2.0", "paths": {}}', "tools/a.yaml": "tools: []\n" },
    want: "specs/gateway.yaml:5:14: specs/swagger.json is a Swagger 2.0 document; toolgate reads OpenAPI 3.0 and 3.1\n  hint: convert it: `toolgate import <file>` writes an OpenAPI 3.0 copy under specs/openapi/ and a tool spec over it",
  },
  {
    name: "a credential from a header needs the header name",
    files: { "gateway.yaml": `${gateway}    credentials: { type: header, from_env: SHOP_KEY }\n`, "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\n" },
    want: 'specs/gateway.yaml:7:18: backend "shop": credentials of type "header" need a header name\n  hint: add `header: X-Api-Key` (the header the backend expects)',
  },
  {
    name: "an access-policy glob that matches no tool suggests the closest",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\n", "access.yaml": "apps:\n  claude:\n    tools: [get_itme]\n" },
    want: 'specs/access.yaml:3:13: "get_itme" matches no tool\n  hint: did you mean "get_item"?',
  },
  {
    name: "an access-policy scope ceiling that matches no scope names the scopes",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\n    scopes: [read:items]\n", "access.yaml": "default_app:\n  tools: [\"*\"]\n  scopes: [\"reed:*\"]\n" },
    want: 'specs/access.yaml:3:12: "reed:*" matches no scope\n  hint: scopes: read:items',
  },
  {
    name: "an endpoint toolset criterion that selects nothing is named",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\n", "gateway.yaml": `${gateway}endpoints:\n  pack:\n    path: /mcp/pack\n    toolset: { names: [get_itme], tags: [item] }\n` },
    want: 'specs/gateway.yaml:10:24: toolset names "get_itme" matches nothing\n  hint: check the name\nspecs/gateway.yaml:10:42: toolset tags "item" matches nothing\n  hint: tags are the OpenAPI operations\' tags\nspecs/gateway.yaml:10:14: endpoint "pack" serves no tools and no prompts\n  hint: widen its toolset',
  },
  {
    name: "an endpoint path the gateway answers itself is refused",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\n", "gateway.yaml": `${gateway}endpoints:\n  pack:\n    path: /.well-known/pack\n    toolset: { names: [get_item] }\n` },
    want: 'specs/gateway.yaml:9:11: endpoint path "/.well-known/pack" is not allowed\n  hint: use an absolute path of URL-safe segments that the gateway does not already answer, such as /mcp/pack',
  },
  {
    name: "a composite step that reads a later step, or an unknown argument, is named",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\n  - name: both\n    description: Two.\n    arguments: { id: { type: string } }\n    steps:\n      - { id: first, tool: get_item, arguments: { itemId: $steps.second.id } }\n      - { id: second, tool: get_item, arguments: { itemId: $idd } }\n" },
    want: 'specs/tools/a.yaml:8:59: step "first" reads step "second", which does not come before it\n  hint: a step reads only the results of steps listed above it\nspecs/tools/a.yaml:9:60: step "second": "$idd" is not an argument of both\n  hint: did you mean "id"?',
  },
  {
    name: "a composite step calling an unknown tool suggests the closest",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\n  - name: both\n    description: Two.\n    steps:\n      - { id: first, tool: get_itme }\n" },
    want: 'specs/tools/a.yaml:7:28: step "first": no tool "get_itme"\n  hint: did you mean "get_item"?',
  },
  {
    name: "a prompt template using an undeclared argument names it",
    files: { "tools/a.yaml": "tools:\n  - name: get_item\n    operation: getItem\nprompts:\n  - name: brief\n    arguments: [{ name: account }]\n    template: Prepare {{acount}}.\n" },
    want: 'specs/tools/a.yaml:7:15: prompt "brief": the template uses "acount", which is not one of its arguments\n  hint: did you mean "account"?',
  },
  {
    // Regression: such a prompt was listed on the endpoint, asking the model for a tool it cannot call there.
    name: "a prompt served by an endpoint that does not serve a tool it uses",
    files: {
      "gateway.yaml": `${gateway}endpoints:\n  lite:\n    path: /mcp/lite\n    toolset:\n      files: ["lite/*.yaml"]\n`,
      "tools/a.yaml": "tools:\n  - name: list_items\n    operation: listItems\n",
      "tools/lite/b.yaml": "tools:\n  - name: get_item\n    operation: getItem\nprompts:\n  - name: browse\n    uses: [get_item, list_items]\n    template: Browse the shop.\n",
    },
    want: 'specs/tools/lite/b.yaml:5:11: prompt "browse" is served by endpoint "lite", which does not serve list_items, a tool it uses\n  hint: add list_items to endpoint "lite"\'s toolset (specs/gateway.yaml), or leave the prompt out of it',
  },
  {
    name: "input.require naming no argument suggests the closest",
    files: { "tools/a.yaml": "tools:\n  - name: list_items\n    operation: listItems\n    input:\n      require: [limt]\n" },
    want: 'specs/tools/a.yaml:5:17: input.require: no argument "limt"\n  hint: did you mean "limit"?',
  },
  {
    name: "a discovery endpoint whose toolset has a tool named like a meta-tool is refused",
    files: { "tools/a.yaml": "tools:\n  - name: search_tools\n    operation: listItems\n", "gateway.yaml": `${gateway}endpoints:\n  big:\n    path: /mcp/big\n    discovery: true\n    toolset: { names: ["*"] }\n` },
    want: 'specs/gateway.yaml:10:16: endpoint "big" is in discovery mode, whose meta-tools are named search_tools, describe_tool, call_tool; its toolset has search_tools\n  hint: rename the tool, or leave it out of this endpoint (toolset.exclude)',
  },
  {
    name: "several problems are reported together, in file order",
    files: { "tools/a.yaml": "tools:\n  - name: a\n    operation: nope\n  - name: b\n    operation: getItem\n    output: { pick: [zzz] }\n" },
    want: 'specs/tools/a.yaml:3:16: backend "shop" has no operation "nope"\n  hint: see the operationIds in specs/openapi.yaml\nspecs/tools/a.yaml:6:22: output.pick: the response has no field "zzz"\n  hint: fields: id, name, price, owner',
  },
];

function writeSpecs(name: string, files: Record<string, string>): string {
  const root = join(workspace, name.replace(/\W+/g, "-"));
  const specs = join(root, "specs");
  mkdirSync(specs, { recursive: true });
  cpSync(fixtureOpenApi, join(specs, "openapi.yaml"));
  for (const [path, content] of Object.entries({ "gateway.yaml": gateway, ...files })) {
    mkdirSync(dirname(join(specs, path)), { recursive: true });
    writeFileSync(join(specs, path), content);
  }
  return root;
}

describe("spec errors name file:line:col, the problem and a hint", () => {
  it.each(cases)("$name", ({ name, files, want }) => {
    const root = writeSpecs(name, files);
    let thrown: unknown;
    try {
      resolveSpecs({ root, specsDir: join(root, "specs") });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SpecErrors);
    expect((thrown as SpecErrors).message).toBe(want);
  });

  it("never carries a stack trace in its report", () => {
    const root = writeSpecs("no-stack", { "tools/a.yaml": "tools:\n  - name: x\n    operation: nope\n" });
    try {
      resolveSpecs({ root, specsDir: join(root, "specs") });
    } catch (error) {
      expect((error as Error).message).not.toMatch(/\n\s+at /);
    }
  });
});
