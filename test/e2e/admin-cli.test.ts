import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/net.ts";

// The admin CLI against what `npm start` runs: bootstrap the first admin credential into the
// embedded authorization server's database, then drive the admin API with it.
const root = fileURLToPath(new URL("../../", import.meta.url));
const state = mkdtempSync(join(tmpdir(), "toolgate-admin-cli-"));
const run = promisify(execFile);
let child: ChildProcess;
let origin: string;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  const [port, backendPort] = [await freePort(), await freePort()];
  origin = `http://127.0.0.1:${port}`;
  env = { ...process.env, PORT: String(port), SAMPLE_BACKEND_PORT: String(backendPort), LOG_LEVEL: "warn", TOOLGATE_AUTH_DB: join(state, "auth.sqlite"), TOOLGATE_STATE_DB: join(state, "state.sqlite") };
  child = spawn(process.execPath, ["--experimental-strip-types", "examples/start.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (chunk) => {
      text += chunk;
      if (text.includes("Press Ctrl+C")) resolve();
    });
    child.stderr!.on("data", (chunk) => (text += chunk));
    child.once("exit", (code) => reject(new Error(`npm start exited with ${code}: ${text}`)));
  });
});

afterAll(() => {
  child?.kill("SIGTERM");
  rmSync(state, { recursive: true, force: true });
});

const toolgate = async (args: string[], extra: NodeJS.ProcessEnv = {}) => run(process.execPath, [join(root, "bin/toolgate.js"), ...args], { cwd: root, env: { ...env, ...extra } });

describe("toolgate admin", () => {
  it("bootstraps an admin credential, then manages apps, credentials and reports through the API", async () => {
    const bootstrap = await toolgate(["admin", "bootstrap", "--owner", "alice", "--resource", `${origin}/mcp`]);
    const clientId = /TOOLGATE_ADMIN_CLIENT_ID=(\S+)/.exec(bootstrap.stdout)![1]!;
    const clientSecret = /TOOLGATE_ADMIN_CLIENT_SECRET=(\S+)/.exec(bootstrap.stdout)![1]!;
    const admin = (args: string[]) => toolgate(["admin", "--url", origin, ...args], { TOOLGATE_ADMIN_CLIENT_ID: clientId, TOOLGATE_ADMIN_CLIENT_SECRET: clientSecret });

    const set = JSON.parse((await admin(["apps", "set", "claude-enterprise", "--tools", "get_*,list_companies", "--read-only"])).stdout);
    expect(set.tools).toEqual(expect.arrayContaining(["get_account_brief", "get_account_insights", "get_company", "get_company_scorecard", "get_contact", "get_cta", "get_revenue_summary", "list_companies"]));
    expect(set.tools.every((name: string) => name === "list_companies" || name.startsWith("get_"))).toBe(true);
    const effective = JSON.parse((await admin(["effective-tools", "--client", "claude-enterprise", "--tenant", "acme"])).stdout);
    // get_account_brief (a composite) also calls list_ctas and list_timeline_activities, which this
    // app may not call: it does not exist for the app's users, as in their tools/list.
    expect(effective.tools).toEqual(set.tools.filter((name: string) => name !== "get_account_brief"));

    const created = JSON.parse((await admin(["credentials", "create", "--owner", "bob", "--name", "nightly sync"])).stdout);
    expect(created).toMatchObject({ owner: "bob", tenant: "acme" });
    const listed = JSON.parse((await admin(["credentials", "--owner", "bob"])).stdout);
    expect(listed.credentials.map((entry: { clientId: string }) => entry.clientId)).toContain(created.client_id);

    const changes = JSON.parse((await admin(["changes", "--limit", "2"])).stdout);
    expect(changes.changes.map((entry: { action: string }) => entry.action)).toEqual(["credential.create", "app.set"]);
  });

  it("bootstrap refuses a user who is not an admin", async () => {
    await expect(toolgate(["admin", "bootstrap", "--owner", "bob", "--resource", `${origin}/mcp`])).rejects.toMatchObject({ stderr: expect.stringContaining("only admin users may hold toolgate:admin; bob is not one") });
  });
});
