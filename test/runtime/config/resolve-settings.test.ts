import { describe, expect, it } from "vitest";
import { resolveSettings } from "../../../runtime/config/resolve-settings.ts";
import { StartupError, type Manifest } from "../../../runtime/index.ts";

const manifest = (backend: Partial<Manifest["gateway"]["backends"][number]> = {}): Manifest => ({
  generatedBy: "test",
  formatVersion: 1,
  sources: [],
  gateway: {
    name: "t",
    resource: "https://mcp.example.com/v1/mcp/",
    pageSize: 10,
    endpoints: [],
    maxBodyBytes: 2048,
    allowedOrigins: ["https://mcp.example.com"],
    allowedHosts: ["mcp.example.com"],
    dev: { tenant: "acme", user: "u", client: "c" },
    limits: { default: {}, tenants: {}, apps: {}, onStoreError: "open" },
    audit: { retentionDays: 90, actorHeader: "x-toolgate-actor" },
    backends: [{ name: "cs", openapi: "x.yaml", baseUrl: "https://{tenant}.cs.example.com/api", credentials: { type: "bearer", fromEnv: "CS_TOKEN", header: "authorization" }, timeoutMs: 500, maxConnections: 8, ...backend }],
  },
  tools: [],
});

describe("resolveSettings(manifest, env, overrides)", () => {
  it("resolves the endpoint path, credentials and the tenant slot of the base URL", () => {
    const settings = resolveSettings(manifest(), { CS_TOKEN: "s3cret" });
    expect(settings.endpointPath).toBe("/v1/mcp");
    expect(settings.backends.get("cs")).toEqual({ name: "cs", baseUrlParts: ["https://", ".cs.example.com/api"], credential: { header: "authorization", value: "Bearer s3cret" }, timeoutMs: 500, baseUrlOverridden: false });
    expect(Object.isFrozen(settings)).toBe(true);
  });

  it("takes a header credential under its own name", () => {
    const settings = resolveSettings(manifest({ credentials: { type: "header", fromEnv: "CS_KEY", header: "X-Api-Key" } }), { CS_KEY: "k" });
    expect(settings.backends.get("cs")!.credential).toEqual({ header: "x-api-key", value: "k" });
  });

  it("lets TOOLGATE_BACKEND_<NAME>_URL replace the base URL, and options replace both", () => {
    expect(resolveSettings(manifest(), { CS_TOKEN: "s", TOOLGATE_BACKEND_CS_URL: "http://127.0.0.1:9/x/" }).backends.get("cs")!.baseUrlParts).toEqual(["http://127.0.0.1:9/x"]);
    expect(resolveSettings(manifest(), { CS_TOKEN: "s", TOOLGATE_BACKEND_CS_URL: "http://a" }, { backendUrls: { cs: "http://b" } }).backends.get("cs")!.baseUrlParts).toEqual(["http://b"]);
  });

  it.each([
    { name: "a missing credential", env: {}, message: 'backend "cs": credentials.from_env names CS_TOKEN, which is not set in the environment' },
    { name: "a relative base URL override", env: { CS_TOKEN: "s", TOOLGATE_BACKEND_CS_URL: "/api" }, message: 'backend "cs": base URL "/api" is not an absolute http(s) URL (from TOOLGATE_BACKEND_CS_URL)' },
  ])("fails start-up on $name, naming the setting", ({ env, message }) => {
    expect(() => resolveSettings(manifest(), env)).toThrow(StartupError);
    expect(() => resolveSettings(manifest(), env)).toThrow(message);
  });
});
