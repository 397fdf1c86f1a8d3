import { Worker } from "node:worker_threads";
import type { JsonObject } from "../openapi/load-document.ts";
import type { ToolTypesInput } from "./emit-types.ts";

export interface TypesWorkerInput {
  /** Each backend's name and OpenAPI document. */
  readonly documents: readonly (readonly [string, JsonObject])[];
  readonly tools: readonly ToolTypesInput[];
}

export interface TypesWorkerOutput {
  /** Each backend's `types/backend-<name>.ts`, or why openapi-typescript refused its document. */
  readonly backends: readonly ({ readonly name: string; readonly text: string } | { readonly name: string; readonly error: string })[];
  /** `types/tools.ts`. */
  readonly tools: string;
}

/**
 * `emitBackendTypes` for every document and `emitToolTypes`, in a worker thread, so that they
 * run beside the validators' compilation instead of after it: together they are a large API's
 * longest steps (Stripe: ~1.6 s and ~0.8 s of openapi-typescript, ~2.8 s of Ajv), and the
 * main thread then never loads openapi-typescript and TypeScript. Start it first, await it last.
 */
export function emitTypesInWorker(input: TypesWorkerInput): Promise<TypesWorkerOutput> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL("./types-worker.ts", import.meta.url), { workerData: input });
    let output: TypesWorkerOutput | undefined;
    worker.once("message", (message: TypesWorkerOutput) => (output = message));
    worker.once("error", reject);
    worker.once("exit", (code) => (output ? resolve(output) : reject(new Error(`the type emitter's worker thread exited with code ${code} before answering`))));
  });
}
