import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { Adapter, AdapterPayload } from "oidc-provider";

/** A signing key as stored: a private JWK (with kid, alg, use) in JSON. */
export interface StoredSigningKey {
  readonly kid: string;
  readonly jwk: string;
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
 * signing keys. Expired rows are invisible to reads and swept periodically.
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

  /** Deletes expired rows; returns how many. */
  sweepExpired(): number {
    return Number(this.#statements.sweep.run(now()).changes);
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}
