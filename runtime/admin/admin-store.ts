import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import type { AppRules } from "../policy/resolve-app.ts";

/** An admin's replacement for an app's rules from access.yaml. */
export interface AppOverride {
  readonly name?: string;
  readonly rules: AppRules;
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** An admin's replacement for a tenant's settings from access.yaml. */
export interface TenantOverride {
  readonly mcp: boolean;
  /** Tool globs. */
  readonly disabledTools: readonly string[];
  readonly updatedAt: string;
  readonly updatedBy: string;
}

/** One admin change, as the change log keeps it. */
export interface AdminChange {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly tenant: string | null;
  readonly action: string;
  readonly target: string;
  readonly detail: unknown;
}

/**
 * What admins change at run time, persisted on top of the policy spec: app and tenant
 * overrides, and a log of every change (who, when, what). SQLite on one machine; PostgreSQL
 * (admin-store-postgres.ts) when instances must share it.
 */
export interface AdminStore {
  appOverrides(): Promise<Map<string, AppOverride>>;
  setAppOverride(clientId: string, override: Omit<AppOverride, "updatedAt">): Promise<void>;
  deleteAppOverride(clientId: string): Promise<boolean>;
  tenantOverrides(): Promise<Map<string, TenantOverride>>;
  setTenantOverride(tenant: string, override: Omit<TenantOverride, "updatedAt">): Promise<void>;
  deleteTenantOverride(tenant: string): Promise<boolean>;
  /** Records an admin change (called for every change, before the answer is sent). */
  record(change: Omit<AdminChange, "id" | "at">): Promise<AdminChange>;
  /** Newest first; `before` pages by id. */
  changes(options: { limit: number; before?: number; tenant?: string }): Promise<AdminChange[]>;
  /** Told when another instance changed the overrides (shared stores only). */
  onChange(listener: () => void): void;
  close(): Promise<void>;
}

/** The admin store in one SQLite file (`node:sqlite`, WAL): one instance, or a single machine. */
export class SqliteAdminStore implements AdminStore {
  readonly #db: DatabaseSync;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
    this.#db = new DatabaseSync(path);
    this.#db.exec(`
      PRAGMA journal_mode = WAL;
      PRAGMA busy_timeout = 5000;
      CREATE TABLE IF NOT EXISTS app_overrides (client_id TEXT PRIMARY KEY, name TEXT, rules TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS tenant_overrides (tenant TEXT PRIMARY KEY, mcp INTEGER NOT NULL, disabled_tools TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS admin_changes (id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, actor TEXT NOT NULL, tenant TEXT, action TEXT NOT NULL, target TEXT NOT NULL, detail TEXT NOT NULL);
    `);
  }

  async appOverrides(): Promise<Map<string, AppOverride>> {
    const rows = this.#db.prepare("SELECT client_id, name, rules, updated_at, updated_by FROM app_overrides ORDER BY client_id").all() as { client_id: string; name: string | null; rules: string; updated_at: string; updated_by: string }[];
    return new Map(rows.map((row) => [row.client_id, { ...(row.name !== null ? { name: row.name } : {}), rules: JSON.parse(row.rules) as AppRules, updatedAt: row.updated_at, updatedBy: row.updated_by }]));
  }

  async setAppOverride(clientId: string, override: Omit<AppOverride, "updatedAt">): Promise<void> {
    this.#db
      .prepare("INSERT INTO app_overrides (client_id, name, rules, updated_at, updated_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (client_id) DO UPDATE SET name = excluded.name, rules = excluded.rules, updated_at = excluded.updated_at, updated_by = excluded.updated_by")
      .run(clientId, override.name ?? null, JSON.stringify(override.rules), new Date().toISOString(), override.updatedBy);
  }

  async deleteAppOverride(clientId: string): Promise<boolean> {
    return this.#db.prepare("DELETE FROM app_overrides WHERE client_id = ?").run(clientId).changes > 0;
  }

  async tenantOverrides(): Promise<Map<string, TenantOverride>> {
    const rows = this.#db.prepare("SELECT tenant, mcp, disabled_tools, updated_at, updated_by FROM tenant_overrides ORDER BY tenant").all() as { tenant: string; mcp: number; disabled_tools: string; updated_at: string; updated_by: string }[];
    return new Map(rows.map((row) => [row.tenant, { mcp: row.mcp === 1, disabledTools: JSON.parse(row.disabled_tools) as string[], updatedAt: row.updated_at, updatedBy: row.updated_by }]));
  }

  async setTenantOverride(tenant: string, override: Omit<TenantOverride, "updatedAt">): Promise<void> {
    this.#db
      .prepare("INSERT INTO tenant_overrides (tenant, mcp, disabled_tools, updated_at, updated_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant) DO UPDATE SET mcp = excluded.mcp, disabled_tools = excluded.disabled_tools, updated_at = excluded.updated_at, updated_by = excluded.updated_by")
      .run(tenant, override.mcp ? 1 : 0, JSON.stringify(override.disabledTools), new Date().toISOString(), override.updatedBy);
  }

  async deleteTenantOverride(tenant: string): Promise<boolean> {
    return this.#db.prepare("DELETE FROM tenant_overrides WHERE tenant = ?").run(tenant).changes > 0;
  }

  async record(change: Omit<AdminChange, "id" | "at">): Promise<AdminChange> {
    const at = new Date().toISOString();
    const result = this.#db.prepare("INSERT INTO admin_changes (at, actor, tenant, action, target, detail) VALUES (?, ?, ?, ?, ?, ?)").run(at, change.actor, change.tenant, change.action, change.target, JSON.stringify(change.detail ?? null));
    return { id: Number(result.lastInsertRowid), at, ...change };
  }

  async changes(options: { limit: number; before?: number; tenant?: string }): Promise<AdminChange[]> {
    const rows = this.#db
      .prepare("SELECT id, at, actor, tenant, action, target, detail FROM admin_changes WHERE (? IS NULL OR id < ?) AND (? IS NULL OR tenant = ?) ORDER BY id DESC LIMIT ?")
      .all(options.before ?? null, options.before ?? null, options.tenant ?? null, options.tenant ?? null, options.limit) as { id: number; at: string; actor: string; tenant: string | null; action: string; target: string; detail: string }[];
    return rows.map((row) => ({ ...row, detail: JSON.parse(row.detail) as unknown }));
  }

  onChange(): void {
    // One file, one instance: nothing changes behind this store's back.
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}
