import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));

/**
 * The shared corpus of real OpenAPI documents (`shared/openapi-corpus`): TOOLGATE_OPENAPI_CORPUS,
 * else beside the checkout (`../shared/openapi-corpus`), else on this workplace's machines
 * (`/work/shared/openapi-corpus`). Undefined when there is none: the corpus tests then skip,
 * saying why, on a developer's machine; in CI (TOOLGATE_REQUIRE_SERVICES=1) they fail instead.
 */
export const corpusDir: string | undefined = (() => {
  const candidates = [process.env.TOOLGATE_OPENAPI_CORPUS, join(root, "../shared/openapi-corpus"), "/work/shared/openapi-corpus"].filter((path): path is string => !!path);
  const found = candidates.find((path) => existsSync(join(path, "13-stripe-spec3-2023-08-16.yaml")));
  if (found) return found;
  if (process.env.TOOLGATE_REQUIRE_SERVICES === "1") throw new Error(`the OpenAPI corpus is required (TOOLGATE_REQUIRE_SERVICES=1) but not found at ${candidates.join(", ")}; set TOOLGATE_OPENAPI_CORPUS`);
  console.warn(`skipping the OpenAPI corpus tests: no corpus at ${candidates.join(", ")} (set TOOLGATE_OPENAPI_CORPUS)`);
  return undefined;
})();

/** The corpus directory for a test that only runs when it exists (describe.skipIf(!corpusDir)). */
export const corpus = corpusDir ?? "/nonexistent/openapi-corpus";

/** The corpus's OpenAPI 3.0 and 3.1 documents. */
export const openapiDocuments: readonly string[] = [
  "01-oai-petstore-3.0.yaml",
  "02-swagger-petstore-3.0.yaml",
  "03-swagger-petstore-3.1.yaml",
  "05-openapi-python-client-baseline-3.1.yaml",
  "06-scalar-galaxy-3.1.yaml",
  "08-intercom-2.15.yaml",
  "09-discord-3.1.json",
  "13-stripe-spec3-2023-08-16.yaml",
];

/** The corpus's Swagger 2.0 documents (`toolgate import` converts them). */
export const swaggerDocuments: readonly string[] = ["04-oai-petstore-expanded-swagger-2.0.json", "10-slack-web-api-swagger-2.0.json"];
