import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { connectClient } from "../support/mcp-client.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe("npm start", () => {
  it("serves the example tools with no set-up and prints how to connect", async () => {
    const [port, backendPort] = [await freePort(), await freePort()];
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), SAMPLE_BACKEND_PORT: String(backendPort), LOG_LEVEL: "warn" };
    delete env.SAMPLE_BACKEND_TOKEN;
    const child = spawn(process.execPath, ["--experimental-strip-types", "examples/start.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    try {
      const output = await new Promise<string>((resolve, reject) => {
        let text = "";
        child.stdout.on("data", (chunk) => {
          text += chunk;
          if (text.includes("Press Ctrl+C")) resolve(text);
        });
        child.stderr.on("data", (chunk) => (text += chunk));
        child.once("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${text}`)));
      });
      const url = `http://127.0.0.1:${port}/mcp`;
      expect(output).toContain(`toolgate is serving MCP at ${url}`);
      expect(output).toContain("DEVELOPMENT");
      const client = await connectClient(url);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("get_company");
      const result = await client.callTool({ name: "list_companies", arguments: { limit: 2 } });
      expect(result.isError).toBeFalsy();
      await client.close();
    } finally {
      child.kill("SIGTERM");
    }
  });
});
