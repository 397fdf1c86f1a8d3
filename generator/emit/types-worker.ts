// The worker thread of `startTypesWorker` (emit-types-in-worker.ts). It loads openapi-typescript
// at once; told where the OpenAPI documents are, it reads them itself (the same way the main
// thread does, meanwhile) and emits the backends' types; given the tools' schemas, it emits
// their types and posts everything back.
import { parentPort } from "node:worker_threads";
import { loadOpenApiDocument } from "../openapi/load-document.ts";
import { emitBackendTypes, emitToolTypes } from "./emit-types.ts";
import type { TypesWorkerMessage, TypesWorkerOutput } from "./emit-types-in-worker.ts";

let backends: Promise<TypesWorkerOutput["backends"]> = Promise.resolve([]);

async function emitBackends(documents: Extract<TypesWorkerMessage, { kind: "documents" }>["documents"]): Promise<TypesWorkerOutput["backends"]> {
  const out: TypesWorkerOutput["backends"][number][] = [];
  for (const { name, absolutePath, file } of documents) {
    try {
      out.push({ name, text: await emitBackendTypes(name, loadOpenApiDocument(absolutePath, file, { file, line: 1, col: 1 }).root) });
    } catch (error) {
      // A document that cannot be read fails the main thread's model too; one that
      // openapi-typescript refuses is reported as a spec error by the caller.
      out.push({ name, error: error instanceof Error ? error.message.split("\n")[0]! : String(error) });
    }
  }
  return out;
}

parentPort!.on("message", (message: TypesWorkerMessage) => {
  if (message.kind === "documents") {
    backends = emitBackends(message.documents);
    return;
  }
  void (async () => {
    const output: TypesWorkerOutput = { backends: await backends, tools: await emitToolTypes(message.tools) };
    parentPort!.postMessage(output);
    parentPort!.close();
  })();
});
