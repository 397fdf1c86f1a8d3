import { readFileSync } from "node:fs";
import swagger2openapi from "swagger2openapi";
import { parse, stringify } from "yaml";

/** A Swagger 2.0 document converted to OpenAPI 3.0, as reviewable YAML. */
export interface ConvertedDocument {
  readonly yaml: string;
  /** The Swagger version converted from ("2.0"). */
  readonly from: string;
  readonly operations: number;
}

/**
 * Converts a Swagger 2.0 document (JSON or YAML) to OpenAPI 3.0 with swagger2openapi, the
 * converter most tools of this field use, rather than a hand-written one. `patch` fixes the
 * small errors real documents have (as the corpus's Slack document does); nothing is fetched:
 * external references stay references. Returns undefined for a document that is not Swagger.
 */
export async function convertSwagger(path: string): Promise<ConvertedDocument | undefined> {
  const text = readFileSync(path, "utf8");
  const document = parse(text, { maxAliasCount: -1 }) as Record<string, unknown> | null;
  if (document === null || typeof document !== "object" || typeof document.swagger !== "string") return undefined;
  const { openapi } = await swagger2openapi.convertObj(document as never, { patch: true, warnOnly: true, resolve: false, direct: false } as never);
  const operations = Object.values((openapi.paths ?? {}) as Record<string, Record<string, unknown>>)
    .flatMap((item) => Object.keys(item).filter((key) => ["get", "put", "post", "delete", "options", "head", "patch", "trace"].includes(key))).length;
  const header = `# Converted from ${String(document.swagger)} by \`toolgate import\` (swagger2openapi). Review it; regenerate it by importing the original again.\n`;
  return { yaml: header + stringify(openapi, { aliasDuplicateObjects: false, lineWidth: 0 }), from: String(document.swagger), operations };
}
