import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { renderOutput } from "../../generator/index.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const fixture = (name: string) => ({ root, specsDir: join(root, "test/generator/fixtures", name), outDir: join(root, "test/generator/golden", name) });

describe.each(["basic", "endpoints", "corpus-petstore", "corpus-galaxy"])("generated output of fixtures/%s", async (name) => {
  const options = fixture(name);
  const files = await renderOutput(options);

  it.each([...files.keys()])("%s matches its golden file", async (path) => {
    await expect(files.get(path)).toMatchFileSnapshot(join(options.outDir, path));
  });

  it("has no golden file that generation no longer produces", () => {
    const golden = readdirSync(options.outDir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(options.outDir, join(entry.parentPath, entry.name)).split(sep).join("/"));
    expect(golden.sort()).toEqual([...files.keys()]);
  });

  it("is byte-identical on a second run", async () => {
    expect(await renderOutput(options)).toEqual(files);
  });
});
