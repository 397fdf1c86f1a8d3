/** A JSON Schema as committed in `generated/tools/<name>.json`: an object, or `true`/`false`. */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/** One tool as a client sees it, plus the backend operation it calls. */
export interface ToolSurface {
  readonly name: string;
  readonly title: string | undefined;
  readonly description: string;
  readonly inputSchema: JsonSchema;
  /** Absent when the tool returns no structured content. */
  readonly outputSchema: JsonSchema | undefined;
  readonly scopes: readonly string[];
  readonly annotations: Readonly<Record<string, unknown>>;
  readonly backend: string;
  readonly operation: string;
  readonly method: string;
  readonly path: string;
}

/** An MCP endpoint (URL path) and the tools it serves. */
export interface EndpointSurface {
  readonly path: string;
  readonly tools: readonly string[];
}

/** The tool surface of one version of a project: what `generated/` exposes to clients. */
export interface Surface {
  /** Where it was read from, for the report (`main`, `generated/`). */
  readonly label: string;
  /** By tool name, sorted. */
  readonly tools: ReadonlyMap<string, ToolSurface>;
  /** Without an `endpoints` list in the manifest: one endpoint (the resource's path) with every tool. */
  readonly endpoints: readonly EndpointSurface[];
}

/** Whether a change can break an existing caller or consumer of structured output. */
export type Severity = "breaking" | "info";

/** Stable identifiers of the kinds of change, for `--json` consumers. */
export type ChangeKind =
  | "tool-removed"
  | "tool-renamed"
  | "tool-added"
  | "title-changed"
  | "description-changed"
  | "operation-changed"
  | "scope-added"
  | "scope-removed"
  | "annotation-changed"
  | "argument-required"
  | "argument-optional"
  | "argument-added"
  | "argument-removed"
  | "argument-narrowed"
  | "argument-widened"
  | "argument-unclassified"
  | "argument-default-changed"
  | "output-schema-removed"
  | "output-schema-added"
  | "output-property-removed"
  | "output-property-optional"
  | "output-property-added"
  | "output-type-changed"
  | "output-changed"
  | "endpoint-removed"
  | "endpoint-added"
  | "endpoint-tool-removed"
  | "endpoint-tool-added";

/** One difference between two tool surfaces. */
export interface Change {
  readonly severity: Severity;
  readonly kind: ChangeKind;
  /** The tool it concerns (its name on the head side); absent for a whole endpoint. */
  readonly tool?: string;
  /** Path of the argument or output property: `filter.status`, `tags[]`, `metadata.*`; absent for the whole tool. */
  readonly argument?: string;
  /** The endpoint path, for endpoint changes. */
  readonly endpoint?: string;
  /** What changed, in words, without the tool's name (the report adds it). */
  readonly message: string;
}
