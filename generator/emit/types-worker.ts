// The worker thread of `emitTypesInWorker` (emit-types-in-worker.ts): emits the backends' and
// the tools' TypeScript types from what it is given, and posts them back.
import { parentPort, workerData } from "node:worker_threads";
import { emitBackendTypes, emitToolTypes } from "./emit-types.ts";
import type { TypesWorkerInput, TypesWorkerOutput } from "./emit-types-in-worker.ts";

const { documents, tools } = workerData as TypesWorkerInput;
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
