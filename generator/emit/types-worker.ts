// The worker thread of `startTypesWorker` (emit-types-in-worker.ts): loads openapi-typescript
// while the main thread builds the model, then emits the backends' and the tools' TypeScript
// types from the one message it is sent, and posts them back.
import { parentPort } from "node:worker_threads";
import { emitBackendTypes, emitToolTypes } from "./emit-types.ts";
import type { TypesWorkerInput, TypesWorkerOutput } from "./emit-types-in-worker.ts";

parentPort!.once("message", async ({ documents, tools }: TypesWorkerInput) => {
  const backends: TypesWorkerOutput["backends"][number][] = [];
  for (const [name, document] of documents) {
    try {
      backends.push({ name, text: await emitBackendTypes(name, document) });
    } catch (error) {
      // openapi-typescript refuses some malformed documents: reported as a spec error by the caller.
      backends.push({ name, error: error instanceof Error ? error.message.split("\n")[0]! : String(error) });
    }
  }
  parentPort!.postMessage({ backends, tools: await emitToolTypes(tools) } satisfies TypesWorkerOutput);
});
