import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { Adapter, AdapterPayload } from "oidc-provider";

/** A signing key as stored: a private JWK (with kid, alg, use) in JSON. */
export interface StoredSigningKey {
  readonly kid: string;
  readonly jwk: string;
}

/** A machine credential as stored: the secret only as its SHA-256 digest. */
export interface MachineCredentialRow {
  readonly client_id: string;
  readonly name: string;
  readonly owner: string;
  readonly tenant: string;
  /** Space-separated; null when the credential may have every scope of the resource. */
  readonly scopes: string | null;
  readonly secret_sha256: Uint8Array;
  /** Epoch milliseconds. */
  readonly created_at: number;
  readonly last_used_at: number | null;
}

/** A live grant (one user's authorization of one client) with what toolgate records about it. */
export interface GrantRow {
  readonly grant_id: string;
  readonly payload: string;
  readonly tenant: string | null;
  readonly client_name: string | null;
  /** Epoch milliseconds; null for grants saved before activity was recorded. */
  readonly created_at: number | null;
  readonly last_used_at: number | null;
}

interface ModelRow {
  payload: string;
  expires_at: number | null;
  consumed_at: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS oidc_model (
  model       TEXT NOT NULL,
  id          TEXT NOT NULL,
  payload     TEXT NOT NULL,
  grant_id    TEXT,
  user_code   TEXT,
  uid         TEXT,
  expires_at  INTEGER,
  consumed_at INTEGER,
  PRIMARY KEY (model, id)
) STRICT;
CREATE INDEX IF NOT EXISTS oidc_model_grant_id ON oidc_model (model, grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS oidc_model_user_code ON oidc_model (model, user_code) WHERE user_code IS NOT NULL;
CREATE INDEX IF NOT EXISTS oidc_model_uid ON oidc_model (model, uid) WHERE uid IS NOT NULL;
CREATE INDEX IF NOT EXISTS oidc_model_expires_at ON oidc_model (expires_at) WHERE expires_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS machine_credential (
  client_id     TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  owner         TEXT NOT NULL,
  tenant        TEXT NOT NULL,
  scopes        TEXT,
  secret_sha256 BLOB NOT NULL,
  created_at    INTEGER NOT NULL,
  last_used_at  INTEGER
) STRICT;
CREATE INDEX IF NOT EXISTS machine_credential_owner ON machine_credential (owner);
CREATE TABLE IF NOT EXISTS grant_activity (
  grant_id     TEXT PRIMARY KEY,
  tenant       TEXT,
  client_name  TEXT,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER
) STRICT;
CREATE TABLE IF NOT EXISTS signing_key (
  kid        TEXT PRIMARY KEY,
  jwk        TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;
`;

function now(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * The authorization server's storage: one SQLite table for every oidc-provider model (clients,
 * grants, sessions, interactions, codes, refresh tokens), keyed by model name and id, plus the
 * signing keys, the machine credentials (secrets hashed) and when each grant was made and last
 * used. Expired rows are invisible to reads and swept periodically.
 */
export class SqliteStore {
  readonly #db: DatabaseSync;
  readonly #statements: {
    find: StatementSync;
    findByUid: StatementSync;
    findByUserCode: StatementSync;
    upsert: StatementSync;
    consume: StatementSync;
    destroy: StatementSync;
    revokeByGrantId: StatementSync;
    sweep: StatementSync;
    keys: StatementSync;
    insertKey: StatementSync;
    insertMachine: StatementSync;
    findMachine: StatementSync;
    listMachines: StatementSync;
    deleteMachine: StatementSync;
    touchMachine: StatementSync;
    noteGrant: StatementSync;
    touchGrant: StatementSync;
    listGrants: StatementSync;
    deleteGrant: StatementSync;
    deleteGrantActivity: StatementSync;
    deleteSessionsOf: StatementSync;
    sweepGrantActivity: StatementSync;
  };

  constructor(path: string) {
    this.#db = new DatabaseSync(path);
    if (path !== ":memory:") this.#db.exec("PRAGMA journal_mode = WAL;");
    this.#db.exec("PRAGMA busy_timeout = 5000;");
    this.#db.exec(SCHEMA);
    const db = this.#db;
    const live = "(expires_at IS NULL OR expires_at > ?)";
    this.#statements = {
      find: db.prepare(`SELECT payload, expires_at, consumed_at FROM oidc_model WHERE model = ? AND id = ? AND ${live}`),
      findByUid: db.prepare(`SELECT payload, expires_at, consumed_at FROM oidc_model WHERE model = ? AND uid = ? AND ${live} LIMIT 1`),
      findByUserCode: db.prepare(`SELECT payload, expires_at, consumed_at FROM oidc_model WHERE model = ? AND user_code = ? AND ${live} LIMIT 1`),
      upsert: db.prepare(`INSERT INTO oidc_model (model, id, payload, grant_id, user_code, uid, expires_at, consumed_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
        ON CONFLICT (model, id) DO UPDATE SET payload = excluded.payload, grant_id = excluded.grant_id,
          user_code = excluded.user_code, uid = excluded.uid, expires_at = excluded.expires_at, consumed_at = NULL`),
      consume: db.prepare("UPDATE oidc_model SET consumed_at = ? WHERE model = ? AND id = ?"),
      destroy: db.prepare("DELETE FROM oidc_model WHERE model = ? AND id = ?"),
      revokeByGrantId: db.prepare("DELETE FROM oidc_model WHERE model = ? AND grant_id = ?"),
      sweep: db.prepare("DELETE FROM oidc_model WHERE expires_at IS NOT NULL AND expires_at <= ?"),
      keys: db.prepare("SELECT kid, jwk FROM signing_key ORDER BY created_at, rowid"),
      insertKey: db.prepare("INSERT INTO signing_key (kid, jwk, created_at) VALUES (?, ?, ?)"),
      insertMachine: db.prepare(`INSERT INTO machine_credential (client_id, name, owner, tenant, scopes, secret_sha256, created_at, last_used_at)
        VALUES (:client_id, :name, :owner, :tenant, :scopes, :secret_sha256, :created_at, NULL)`),
      findMachine: db.prepare("SELECT * FROM machine_credential WHERE client_id = ?"),
      listMachines: db.prepare(`SELECT * FROM machine_credential WHERE (:owner IS NULL OR owner = :owner) AND (:tenant IS NULL OR tenant = :tenant)
        ORDER BY created_at, rowid`),
      deleteMachine: db.prepare("DELETE FROM machine_credential WHERE client_id = ?"),
      touchMachine: db.prepare("UPDATE machine_credential SET last_used_at = ? WHERE client_id = ?"),
      noteGrant: db.prepare(`INSERT INTO grant_activity (grant_id, tenant, client_name, created_at) VALUES (?, ?, ?, ?)
        ON CONFLICT (grant_id) DO UPDATE SET client_name = coalesce(excluded.client_name, client_name), tenant = coalesce(tenant, excluded.tenant)`),
      touchGrant: db.prepare("UPDATE grant_activity SET last_used_at = ? WHERE grant_id = ?"),
      listGrants: db.prepare(`SELECT m.id AS grant_id, m.payload, a.tenant, a.client_name, a.created_at, a.last_used_at
        FROM oidc_model m LEFT JOIN grant_activity a ON a.grant_id = m.id
        WHERE m.model = 'Grant' AND (m.expires_at IS NULL OR m.expires_at > :now)
          AND (:account IS NULL OR json_extract(m.payload, '$.accountId') = :account)
          AND (:client IS NULL OR json_extract(m.payload, '$.clientId') = :client)
        ORDER BY a.created_at, a.rowid`),
      deleteGrant: db.prepare("DELETE FROM oidc_model WHERE (model = 'Grant' AND id = :grant) OR grant_id = :grant"),
      deleteGrantActivity: db.prepare("DELETE FROM grant_activity WHERE grant_id = ?"),
      deleteSessionsOf: db.prepare("DELETE FROM oidc_model WHERE model = 'Session' AND json_extract(payload, '$.accountId') = ?"),
      sweepGrantActivity: db.prepare("DELETE FROM grant_activity WHERE grant_id NOT IN (SELECT id FROM oidc_model WHERE model = 'Grant')"),
    };
  }

  /** An oidc-provider adapter for one model ("Client", "Grant", "Session", ...). */
  adapterFor(model: string): Adapter {
    const s = this.#statements;
    const read = (row: unknown): AdapterPayload | undefined => {
      if (!row) return undefined;
      const { payload, consumed_at } = row as ModelRow;
      const parsed = JSON.parse(payload) as AdapterPayload;
      return consumed_at === null ? parsed : { ...parsed, consumed: consumed_at };
    };
    return {
      async upsert(id, payload, expiresIn) {
        const expiresAt = expiresIn ? now() + expiresIn : null;
        s.upsert.run(model, id, JSON.stringify(payload), payload.grantId ?? null, payload.userCode ?? null, payload.uid ?? null, expiresAt);
      },
      async find(id) {
        return read(s.find.get(model, id, now()));
      },
      async findByUid(uid) {
        return read(s.findByUid.get(model, uid, now()));
      },
      async findByUserCode(userCode) {
        return read(s.findByUserCode.get(model, userCode, now()));
      },
      async consume(id) {
        s.consume.run(now(), model, id);
      },
      async destroy(id) {
        s.destroy.run(model, id);
        if (model === "Grant") s.deleteGrantActivity.run(id);
      },
      async revokeByGrantId(grantId) {
        s.revokeByGrantId.run(model, grantId);
      },
    };
  }

  signingKeys(): StoredSigningKey[] {
    return this.#statements.keys.all() as unknown as StoredSigningKey[];
  }

  addSigningKey(kid: string, jwk: string): void {
    this.#statements.insertKey.run(kid, jwk, Date.now());
  }

  insertMachineCredential(row: MachineCredentialRow): void {
    const { last_used_at: _unused, ...values } = row;
    this.#statements.insertMachine.run(values);
  }

  machineCredential(clientId: string): MachineCredentialRow | undefined {
    return this.#statements.findMachine.get(clientId) as MachineCredentialRow | undefined;
  }

  machineCredentials(filter: { owner?: string | undefined; tenant?: string | undefined }): MachineCredentialRow[] {
    return this.#statements.listMachines.all({ owner: filter.owner ?? null, tenant: filter.tenant ?? null }) as unknown as MachineCredentialRow[];
  }

  /** Returns false when there was no credential with that id. */
  deleteMachineCredential(clientId: string): boolean {
    return Number(this.#statements.deleteMachine.run(clientId).changes) > 0;
  }

  touchMachineCredential(clientId: string, at: number): void {
    this.#statements.touchMachine.run(at, clientId);
  }

  /** Records a grant's tenant and client name the first time it is saved (later saves keep `created_at`). */
  noteGrant(grantId: string, details: { tenant: string | null; clientName: string | null }, at: number): void {
    this.#statements.noteGrant.run(grantId, details.tenant, details.clientName, at);
  }

  touchGrant(grantId: string, at: number): void {
    this.#statements.touchGrant.run(at, grantId);
  }

  /** Live grants, optionally of one user and/or one client. */
  grants(filter: { accountId?: string | undefined; clientId?: string | undefined }): GrantRow[] {
    return this.#statements.listGrants.all({ now: now(), account: filter.accountId ?? null, client: filter.clientId ?? null }) as unknown as GrantRow[];
  }

  /** Deletes a grant with everything issued under it (codes, refresh tokens); true when the grant existed. */
  deleteGrant(grantId: string): boolean {
    const deleted = Number(this.#statements.deleteGrant.run({ grant: grantId }).changes) > 0;
    this.#statements.deleteGrantActivity.run(grantId);
    return deleted;
  }

  /** Ends every sign-in session of a user; returns how many. */
  deleteSessionsOf(accountId: string): number {
    return Number(this.#statements.deleteSessionsOf.run(accountId).changes);
  }

  deleteRow(model: string, id: string): void {
    this.#statements.destroy.run(model, id);
  }

  /** Every stored row of one model, expired or not (for one-off migrations). */
  rawRows(model: string): { id: string; payload: string }[] {
    return this.#db.prepare("SELECT id, payload FROM oidc_model WHERE model = ?").all(model) as unknown as { id: string; payload: string }[];
  }

  /** Runs `work` in one transaction. */
  transaction<T>(work: () => T): T {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      const result = work();
      this.#db.exec("COMMIT");
      return result;
    } catch (error) {
      this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  /** Deletes expired rows (and the activity of grants that are gone); returns how many model rows. */
  sweepExpired(): number {
    const swept = Number(this.#statements.sweep.run(now()).changes);
    this.#statements.sweepGrantActivity.run();
    return swept;
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
