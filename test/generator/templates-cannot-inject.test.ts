import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Handlebars from "handlebars";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../../generator/index.ts";
import { code, identifier, json } from "../../generator/emit/code.ts";
import { codeTemplateHelpers } from "../../generator/emit/templates.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const outDir = join(root, "test/.tmp/hostile");
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("values from specs cannot inject code", () => {
  it("hostile names and strings generate modules that load and keep every value intact", async () => {
    await generate({ root, specsDir: join(root, "test/generator/fixtures/hostile"), outDir });
    const bundle = await import(pathToFileURL(join(outDir, "index.js")).href);
    const [tool] = bundle.tools;
    expect(tool.definition.description).toBe("*/ process.exit(2); /* \" ' ` ${process.exit(3)} {{caller.tenant}}");
    // The runtime validates a prototype-free copy of the arguments (see runtime/tools/call-tool.ts).
    const args: Record<string, unknown> = Object.assign(Object.create(null), { a_b: "v/1", proto: "p", "x-</script>": "s" });
    expect(tool.validate(args)).toBe(true);
    const request = tool.handler.buildRequest(args, { tenant: "t", user: "u", client: "c" });
    expect(request.path).toBe("/things/v%2F1");
    expect(request.query).toBe("__proto__=p&x-%3C%2Fscript%3E=s");
    expect(request.headers).toEqual({ "x-`$'|^~": "u\u2028\"; process.exit(5)" });
    expect(JSON.parse(request.body)).toEqual({ constructor: "\"); process.exit(4); (\"" });
    expect(tool.handler.renderText({ "}); process.exit(1); ({": "<i>", x: "y" })).toBe("<i> <b>y</b>");
  });

  it("json() emits literals, identifier() refuses anything but identifiers, code`` quotes values", () => {
    expect(json("a\u2028b").text).toBe('"a\\u2028b"');
    expect(() => identifier("a-b")).toThrow(TypeError);
    expect(() => identifier("constructor()")).toThrow(TypeError);
    expect(() => identifier("return")).toThrow(TypeError);
    expect(code`x = ${"); evil("}`.text).toBe('x = "); evil("');
  });

  it("code templates reach values only through known helpers", () => {
    const directory = join(root, "generator/templates");
    for (const file of readdirSync(directory)) {
      const program = Handlebars.parse(readFileSync(join(directory, file), "utf8"));
      const offenders: string[] = [];
      Handlebars.Visitor.prototype.accept.call(
        Object.assign(new Handlebars.Visitor(), {
          MustacheStatement(node: hbs.AST.MustacheStatement) {
            const helper = (node.path as hbs.AST.PathExpression).original;
            if (!(codeTemplateHelpers as readonly string[]).includes(helper) || node.params.length !== 1) offenders.push(`${file}: {{${helper}}}`);
          },
        }),
        program,
      );
      expect(offenders).toEqual([]);
    }
  });
});
