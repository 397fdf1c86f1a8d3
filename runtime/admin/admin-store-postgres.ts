import type pg from "pg";
import type { Logger } from "pino";
import type { AppRules } from "../policy/resolve-app.ts";
import type { AdminChange, AdminStore, AppOverride, TenantOverride } from "./admin-store.ts";

const channel = "toolgate_admin_changes";

/**
 * The admin store in PostgreSQL, shared by every instance: each change is written in a
 * transaction that also NOTIFYs, and every instance LISTENs and re-applies the overrides, so a
 * change made through any instance takes effect on all of them at once.
 */
export class PostgresAdminStore implements AdminStore {
  readonly #pool: pg.Pool;
  readonly #listener: pg.Client;
  readonly #tables: { apps: string; tenants: string; changes: string };
  readonly #listeners: (() => void)[] = [];

  private constructor(pool: pg.Pool, listener: pg.Client, schema: string | undefined) {
    this.#pool = pool;
    this.#listener = listener;
    const qualify = (table: string) => (schema ? `${schema}.${table}` : table);
    this.#tables = { apps: qualify("toolgate_app_overrides"), tenants: qualify("toolgate_tenant_overrides"), changes: qualify("toolgate_admin_changes") };
  }

  /** Connects, creates the tables if absent and starts listening for other instances' changes. */
  static async open(databaseUrl: string, options: { schema?: string; logger?: Logger } = {}): Promise<PostgresAdminStore> {
    if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) throw new TypeError(`schema ${JSON.stringify(options.schema)} is not a plain PostgreSQL identifier`);
    // Imported here, not above: pg is only needed with DATABASE_URL, and loading it slows every start.
    const { Pool, Client } = (await import("pg")).default;
    const pool = new Pool({ connectionString: databaseUrl, max: 4 });
    pool.on("error", (error) => options.logger?.error({ err: error.message }, "admin store: PostgreSQL connection error"));
    const listener = new Client({ connectionString: databaseUrl });
    listener.on("error", (error) => options.logger?.error({ err: error.message }, "admin store: PostgreSQL listener error"));
    const store = new PostgresAdminStore(pool, listener, options.schema);
    const { apps, tenants, changes } = store.#tables;
    await pool.query(`
      CREATE TABLE IF NOT EXISTS ${apps} (client_id text PRIMARY KEY, name text, rules jsonb NOT NULL, updated_at timestamptz NOT NULL, updated_by text NOT NULL);
      CREATE TABLE IF NOT EXISTS ${tenants} (tenant text PRIMARY KEY, mcp boolean NOT NULL, disabled_tools jsonb NOT NULL, updated_at timestamptz NOT NULL, updated_by text NOT NULL);
      CREATE TABLE IF NOT EXISTS ${changes} (id bigserial PRIMARY KEY, at timestamptz NOT NULL, actor text NOT NULL, tenant text, action text NOT NULL, target text NOT NULL, detail jsonb);
    `);
    await listener.connect();
    listener.on("notification", () => {
      for (const notify of store.#listeners) notify();
    });
    await listener.query(`LISTEN ${channel}`);
    return store;
  }

  async appOverrides(): Promise<Map<string, AppOverride>> {
    const { rows } = await this.#pool.query(`SELECT client_id, name, rules, updated_at, updated_by FROM ${this.#tables.apps} ORDER BY client_id`);
    return new Map(rows.map((row) => [row.client_id as string, { ...(row.name !== null ? { name: row.name as string } : {}), rules: row.rules as AppRules, updatedAt: (row.updated_at as Date).toISOString(), updatedBy: row.updated_by as string }]));
  }

  async setAppOverride(clientId: string, override: Omit<AppOverride, "updatedAt">): Promise<void> {
    await this.#changeAndNotify(
      `INSERT INTO ${this.#tables.apps} (client_id, name, rules, updated_at, updated_by) VALUES ($1, $2, $3, now(), $4)
       ON CONFLICT (client_id) DO UPDATE SET name = excluded.name, rules = excluded.rules, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [clientId, override.name ?? null, JSON.stringify(override.rules), override.updatedBy],
    );
  }

  async deleteAppOverride(clientId: string): Promise<boolean> {
    return (await this.#changeAndNotify(`DELETE FROM ${this.#tables.apps} WHERE client_id = $1`, [clientId])) > 0;
  }

  async tenantOverrides(): Promise<Map<string, TenantOverride>> {
    const { rows } = await this.#pool.query(`SELECT tenant, mcp, disabled_tools, updated_at, updated_by FROM ${this.#tables.tenants} ORDER BY tenant`);
    return new Map(rows.map((row) => [row.tenant as string, { mcp: row.mcp as boolean, disabledTools: row.disabled_tools as string[], updatedAt: (row.updated_at as Date).toISOString(), updatedBy: row.updated_by as string }]));
  }

  async setTenantOverride(tenant: string, override: Omit<TenantOverride, "updatedAt">): Promise<void> {
    await this.#changeAndNotify(
      `INSERT INTO ${this.#tables.tenants} (tenant, mcp, disabled_tools, updated_at, updated_by) VALUES ($1, $2, $3, now(), $4)
       ON CONFLICT (tenant) DO UPDATE SET mcp = excluded.mcp, disabled_tools = excluded.disabled_tools, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      [tenant, override.mcp, JSON.stringify(override.disabledTools), override.updatedBy],
    );
  }

  async deleteTenantOverride(tenant: string): Promise<boolean> {
    return (await this.#changeAndNotify(`DELETE FROM ${this.#tables.tenants} WHERE tenant = $1`, [tenant])) > 0;
  }

  async record(change: Omit<AdminChange, "id" | "at">): Promise<AdminChange> {
    const { rows } = await this.#pool.query(`INSERT INTO ${this.#tables.changes} (at, actor, tenant, action, target, detail) VALUES (now(), $1, $2, $3, $4, $5) RETURNING id, at`, [
      change.actor, change.tenant, change.action, change.target, JSON.stringify(change.detail ?? null),
    ]);
    return { id: Number(rows[0].id), at: (rows[0].at as Date).toISOString(), ...change };
  }

  async changes(options: { limit: number; before?: number; tenant?: string }): Promise<AdminChange[]> {
    const { rows } = await this.#pool.query(
      `SELECT id, at, actor, tenant, action, target, detail FROM ${this.#tables.changes} WHERE ($1::bigint IS NULL OR id < $1) AND ($2::text IS NULL OR tenant = $2) ORDER BY id DESC LIMIT $3`,
      [options.before ?? null, options.tenant ?? null, options.limit],
    );
    return rows.map((row) => ({ id: Number(row.id), at: (row.at as Date).toISOString(), actor: row.actor, tenant: row.tenant, action: row.action, target: row.target, detail: row.detail as unknown }));
  }

  onChange(listener: () => void): void {
    this.#listeners.push(listener);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.#listener.end(), this.#pool.end()]);
  }

  /** A change and its notification in one transaction: others hear of it only once it is committed. */
  async #changeAndNotify(sql: string, parameters: unknown[]): Promise<number> {
    const client = await this.#pool.connect();
    try {
      await client.query("BEGIN");
      const result = await client.query(sql, parameters);
      await client.query(`NOTIFY ${channel}`);
      await client.query("COMMIT");
      return result.rowCount ?? 0;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
