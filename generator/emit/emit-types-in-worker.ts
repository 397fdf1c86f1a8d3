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

/** A worker thread that emits the types once it is given what to emit them from. */
export interface TypesWorker {
  /** Sends the input (once) and resolves with the files' text. */
  emit(input: TypesWorkerInput): Promise<TypesWorkerOutput>;
  /** Ends the thread without an answer (when generation fails before \`emit\`). */
  stop(): void;
}

/**
 * \`emitBackendTypes\` for every document and \`emitToolTypes\`, in a worker thread, so that they
 * run beside the main thread's work instead of after it: together with the validators'
 * compilation they are a large API's longest steps (Stripe: ~1.6 s and ~0.8 s of
 * openapi-typescript, ~2 s of Ajv). Started before the model is built, the thread loads
 * openapi-typescript and TypeScript (~0.5 s) meanwhile; the main thread never loads them.
 */
export function startTypesWorker(): TypesWorker {
  const worker = new Worker(new URL("./types-worker.ts", import.meta.url));
  const answer = new Promise<TypesWorkerOutput>((resolve, reject) => {
    let output: TypesWorkerOutput | undefined;
    worker.once("message", (message: TypesWorkerOutput) => (output = message));
    worker.once("error", reject);
    worker.once("exit", (code) => (output ? resolve(output) : reject(new Error(`the type emitter's worker thread exited with code ${code} before answering`))));
  });
  // Awaited only by emit(); a thread stopped before that must not be an unhandled rejection.
  answer.catch(() => {});
  return {
    emit(input) {
      worker.postMessage(input);
      return answer;
    },
    stop() {
      void worker.terminate();
    },
  };
}
