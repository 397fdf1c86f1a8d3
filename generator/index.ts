/**
 * toolgate's generator: YAML specs and OpenAPI documents in, `generated/` out.
 */
export { SpecError, SpecErrors, type SpecLocation } from "./errors.ts";
export { checkGenerated, generate, renderOutput, resolveSpecs, type Drift, type GenerateOptions } from "./generate.ts";
export type { GatewayModel, GatewaySpecModel, ToolModel } from "./model/types.ts";
export { dryRun, requestIdPlaceholder, type DryRunReport, type DryRunRequest, type ToolDryRun } from "./dry-run/dry-run.ts";
export { sampleArguments, type SampleOptions } from "./dry-run/sample-arguments.ts";
export { defaultBackendName, importOpenApi, type ImportOptions, type ImportResult } from "./import/import-openapi.ts";
