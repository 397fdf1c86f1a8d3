/**
 * Request building for what OpenAPI documents prescribe beyond JSON: query styles, cookies,
 * form-urlencoded (with Stripe's deepObject keys) and multipart bodies. First the helpers of
 * runtime/handler-api.ts that generated handlers call, then handlers generated from the corpus.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../../generator/index.ts";
import { appendCookie, appendStyledQuery, encodeFormBody, encodeMultipartBody, type BackendRequest, type Caller, type QueryStyle } from "../../runtime/handler-api.ts";
import { corpus, corpusDir } from "../support/corpus.ts";

describe("appendStyledQuery", () => {
  const cases: { given: { value: unknown; style: QueryStyle }; want: string }[] = [
    { given: { value: [1, 2], style: { style: "form", explode: false } }, want: "ids=1,2" },
    { given: { value: { a: 1, b: "x y" }, style: { style: "form", explode: false } }, want: "ids=a,1,b,x%20y" },
    { given: { value: ["a", "b"], style: { style: "pipeDelimited", explode: false } }, want: "ids=a%7Cb" },
    { given: { value: ["a", "b"], style: { style: "spaceDelimited", explode: false } }, want: "ids=a%20b" },
    { given: { value: { gte: 1, lt: { x: 2 } }, style: { style: "deepObject", explode: true } }, want: "ids[gte]=1&ids[lt][x]=2" },
    { given: { value: [1, 2], style: { style: "form", explode: true } }, want: "ids=1&ids=2" },
  ];
  it.each(cases)("$given.style.style explode=$given.style.explode: $want", ({ given, want }) => {
    const query: string[] = [];
    appendStyledQuery(query, "ids", given.value, given.style);
    expect(query.join("&")).toBe(want);
  });
});

describe("appendCookie", () => {
  it("percent-encodes the value and joins arrays with commas", () => {
    const cookies: string[] = [];
    appendCookie(cookies, "session", "a b;c");
    appendCookie(cookies, "ids", [1, 2]);
    expect(cookies.join("; ")).toBe("session=a%20b%3Bc; ids=1%2C2");
  });
});

describe("encodeFormBody", () => {
  const cases: { name: string; given: [Record<string, unknown>, Record<string, { style?: "deepObject" | "form"; explode?: boolean; contentType?: string }>?]; want: string }[] = [
    { name: "scalars, spaces as +", given: [{ email: "a@b.c", name: "Jane Doe", n: 3, on: true }], want: "email=a%40b.c&name=Jane+Doe&n=3&on=true" },
    { name: "arrays repeat the name (form, exploded)", given: [{ tag: ["a", "b"] }], want: "tag=a&tag=b" },
    { name: "arrays joined when not exploded", given: [{ tag: ["a", "b"] }, { tag: { style: "form", explode: false } }], want: "tag=a%2Cb" },
    { name: "deepObject: nested keys (Stripe)", given: [{ metadata: { plan: "pro" }, items: [{ price: "p_1", quantity: 2 }] }, { metadata: { style: "deepObject", explode: true }, items: { style: "deepObject", explode: true } }], want: "metadata%5Bplan%5D=pro&items%5B0%5D%5Bprice%5D=p_1&items%5B0%5D%5Bquantity%5D=2" },
    { name: "deepObject arrays of scalars are indexed (Stripe's expand)", given: [{ expand: ["customer", "invoice"] }, { expand: { style: "deepObject", explode: true } }], want: "expand%5B0%5D=customer&expand%5B1%5D=invoice" },
    { name: "an empty object is sent as an empty value (Stripe's unset)", given: [{ metadata: {} }], want: "metadata=" },
    { name: "a JSON content type sends the value as JSON", given: [{ data: { a: 1 } }, { data: { contentType: "application/json" } }], want: "data=%7B%22a%22%3A1%7D" },
    { name: "undefined fields are left out", given: [{ a: undefined, b: null }], want: "b=" },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(encodeFormBody(given[0], given[1])).toBe(want);
  });
});

describe("encodeMultipartBody", () => {
  it("sends each item of an array of objects as a JSON part of its own (regression: the array went as one part)", () => {
    const { body, contentType } = encodeMultipartBody({ items: [{ a: 1 }, { b: 2 }] });
    const boundary = /boundary=(.+)$/.exec(contentType)![1];
    expect(body).toBe(
      [
        `--${boundary}\r\ncontent-disposition: form-data; name="items"\r\ncontent-type: application/json\r\n\r\n{"a":1}\r\n`,
        `--${boundary}\r\ncontent-disposition: form-data; name="items"\r\ncontent-type: application/json\r\n\r\n{"b":2}\r\n`,
        `--${boundary}--\r\n`,
      ].join(""),
    );
  });

  it("sends text parts, JSON parts for objects, repeated parts for arrays and file parts for binary fields", () => {
    const { body, contentType } = encodeMultipartBody({ name: "x", meta: { a: 1 }, tags: ["a", "b"], file: "content" }, { file: { contentType: "application/octet-stream" } });
    const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(contentType)?.[1];
    expect(boundary).toBeDefined();
    expect(body).toBe(
      [
        `--${boundary}\r\ncontent-disposition: form-data; name="name"\r\n\r\nx\r\n`,
        `--${boundary}\r\ncontent-disposition: form-data; name="meta"\r\ncontent-type: application/json\r\n\r\n{"a":1}\r\n`,
        `--${boundary}\r\ncontent-disposition: form-data; name="tags"\r\n\r\na\r\n`,
        `--${boundary}\r\ncontent-disposition: form-data; name="tags"\r\n\r\nb\r\n`,
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="file"\r\ncontent-type: application/octet-stream\r\n\r\ncontent\r\n`,
        `--${boundary}--\r\n`,
      ].join(""),
    );
  });
});

const root = fileURLToPath(new URL("../../", import.meta.url));
const scratch = join(root, "test/.tmp", `request-${process.pid}`);
const caller: Caller = { tenant: "acme", user: "u", client: "c", scopes: new Set(), email: undefined, groups: [] };

describe.skipIf(!corpusDir)("handlers generated from 05-openapi-python-client-baseline-3.1.yaml", () => {
  const outDir = join(scratch, "out");
  const build = async (tool: string, args: Record<string, unknown>): Promise<BackendRequest> => {
    const module = (await import(pathToFileURL(join(outDir, "tools", `${tool}.js`)).href)) as { buildRequest(args: unknown, caller: Caller): BackendRequest };
    return module.buildRequest(args, caller);
  };
  beforeAll(async () => {
    mkdirSync(join(scratch, "tools"), { recursive: true });
    writeFileSync(join(scratch, "gateway.yaml"), `version: 1\nresource: http://127.0.0.1:3000/mcp\nbackends:\n  api:\n    openapi: ${JSON.stringify(join(corpus, "05-openapi-python-client-baseline-3.1.yaml"))}\n    base_url: http://127.0.0.1:4010\n`);
    writeFileSync(join(scratch, "tools", "all.yaml"), "import:\n  - backend: api\n");
    await generate({ root, specsDir: scratch, outDir });
  }, 60_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("sends a form-urlencoded body with its content type", async () => {
    expect(await build("post_form_data", { an_required_field: "a b", an_optional_field: "c" })).toEqual({
      method: "POST", path: "/tests/post_form_data", query: "", headers: undefined, body: "an_optional_field=c&an_required_field=a+b", contentType: "application/x-www-form-urlencoded",
    });
  });

  it("sends cookie parameters in the cookie header", async () => {
    expect((await build("token_with_cookie_auth_token_with_cookie_get", { MyToken: "t 1" })).headers).toEqual({ cookie: "MyToken=t%201" });
  });

  it("tells apart parameters of the same name in different places", async () => {
    const request = await build("get_same_name_multiple_locations_param", { path_param: "p", param: "q", header_param: "h", cookie_param: "c" });
    expect(request).toMatchObject({ path: "/same-name-multiple-locations/p", query: "param=q", headers: { param: "h", cookie: "param=c" } });
  });

  it("sends a JSON body of another JSON media type with that content type (regression: application/vnd+json went as application/json)", async () => {
    expect(await build("json_like", { a: "x" })).toMatchObject({ body: '{"a":"x"}', contentType: "application/vnd+json" });
  });

  it("leaves out header and cookie parameters whose names HTTP cannot carry (regression: `header param` made every call fail in undici)", async () => {
    const definition = JSON.parse(readFileSync(join(outDir, "tools", "get_parameter_references_path_param.json"), "utf8")) as { inputSchema: { properties: Record<string, unknown> } };
    expect(Object.keys(definition.inputSchema.properties).sort()).toEqual(["integer param", "path_param", "string param"]);
    expect((await build("get_parameter_references_path_param", { path_param: "p" })).headers).toBeUndefined();
  });

  it("sends a multipart body with a boundary", async () => {
    const request = await build("upload_file_tests_upload_post", { some_file: "bytes" });
    expect(request.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(request.body).toContain('name="some_file"');
  });
});
