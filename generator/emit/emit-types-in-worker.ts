import { Worker } from "node:worker_threads";
import type { DocumentPath } from "../model/build-gateway.ts";
import type { ToolTypesInput } from "./emit-types.ts";

/** What the worker is sent: first where the documents are, then the tools' schemas. */
export type TypesWorkerMessage =
  | { readonly kind: "documents"; readonly documents: readonly DocumentPath[] }
  | { readonly kind: "tools"; readonly tools: readonly ToolTypesInput[] };

export interface TypesWorkerOutput {
  /** Each backend's `types/backend-<name>.ts`, or why its document could not be made into types. */
  readonly backends: readonly ({ readonly name: string; readonly text: string } | { readonly name: string; readonly error: string })[];
  /** `types/tools.ts`. */
  readonly tools: string;
}

/** A worker thread that emits the types once it is told what from. */
export interface TypesWorker {
  /** Where the backends' documents are: the worker reads them and emits their types at once. */
  load(documents: readonly DocumentPath[]): void;
  /** Sends the tools' schemas and resolves with every types file's text. */
  emit(tools: readonly ToolTypesInput[]): Promise<TypesWorkerOutput>;
  /** Ends the thread without an answer (when generation fails before `emit`). */
  stop(): void;
}

/**
 * `emitBackendTypes` for every document and `emitToolTypes`, in a worker thread, so that they
 * run beside the main thread's work instead of after it: with the validators' compilation they
 * are a large API's longest steps (Stripe: ~1.6 s and ~0.8 s of openapi-typescript, ~1.6 s of
 * Ajv). Started before anything else, the thread loads openapi-typescript and TypeScript
 * (~0.5 s) while the main thread reads the specs; told where the documents are, it reads them
 * itself (js-yaml: ~0.15 s for Stripe) rather than being sent the main thread's copies (a
 * structured clone of Stripe's: ~0.45 s on the two threads), and starts on the backends' types
 * while the main thread builds the model. The main thread never loads openapi-typescript.
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
    load(documents) {
      worker.postMessage({ kind: "documents", documents } satisfies TypesWorkerMessage);
    },
    emit(tools) {
      worker.postMessage({ kind: "tools", tools } satisfies TypesWorkerMessage);
      return answer;
    },
    stop() {
      void worker.terminate();
    },
  };
}
