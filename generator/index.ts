/**
 * toolgate's generator: YAML specs and OpenAPI documents in, `generated/` out.
 */
export { SpecError, SpecErrors, type SpecLocation } from "./errors.ts";
export { checkGenerated, generate, renderOutput, resolveSpecs, type Drift, type GenerateOptions } from "./generate.ts";
export type { GatewayModel, GatewaySpecModel, ToolModel } from "./model/types.ts";
export { dryRun, requestIdPlaceholder, type DryRunReport, type DryRunRequest, type ToolDryRun } from "./dry-run/dry-run.ts";
export { sampleArguments, type SampleOptions } from "./dry-run/sample-arguments.ts";
export { defaultBackendName, importOpenApi, type ImportOptions, type ImportResult } from "./import/import-openapi.ts";
export { convertSwagger, type ConvertedDocument } from "./import/convert-swagger.ts";
export { DiffSourceError } from "./diff/diff-source-error.ts";
export { diffSurfaces } from "./diff/diff-surfaces.ts";
export { formatDiffJson, formatDiffText, hasBreakingChange, type DiffReport } from "./diff/format-report.ts";
export { readDirectorySurface } from "./diff/read-directory.ts";
export { readGitSurface, type GitSurfaceOptions } from "./diff/read-git-ref.ts";
export { readSurface, type ReadSurfaceOptions } from "./diff/read-surface.ts";
export { surfaceFromFiles } from "./diff/surface-from-files.ts";
export type { Change, ChangeKind, EndpointSurface, JsonSchema, Severity, Surface, ToolSurface } from "./diff/types.ts";
