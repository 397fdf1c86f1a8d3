import { createGateway } from "./app.ts";
import { StartupError } from "./errors.ts";

export interface ServeOptions {
  readonly generatedDir: string;
  readonly dev: boolean;
  readonly port: string | undefined;
  readonly host: string | undefined;
}

/** `toolgate serve`: listen until SIGINT/SIGTERM, then shut down gracefully. */
export async function serveFromCli(options: ServeOptions): Promise<number> {
  const port = Number(options.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StartupError(`--port must be a port number, not ${JSON.stringify(options.port)}`);
  const gateway = await createGateway({ generatedDir: options.generatedDir, dev: options.dev });
  const { url } = await gateway.listen(port, options.host ?? "127.0.0.1");
  gateway.logger.info({ url }, "toolgate is serving MCP");
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  // Stop accepting, let in-flight calls finish and the audit trail flush; past the deadline, go.
  const deadlineMs = Number(process.env.TOOLGATE_SHUTDOWN_DEADLINE_MS ?? 20_000);
  gateway.logger.info({ deadlineMs }, "shutting down");
  const deadline = setTimeout(() => {
    gateway.logger.error("shutdown deadline passed; exiting with calls still in flight");
    process.exit(1);
  }, deadlineMs);
  deadline.unref();
  await gateway.close();
  clearTimeout(deadline);
  return 0;
}
