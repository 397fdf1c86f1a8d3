import { GatewayError } from "../errors.ts";

/** A failure of the audit log itself: internal, never shown to an MCP client. */
export class AuditError extends Error {
  readonly code: string = "ERR_AUDIT";
  override name = "AuditError";
}

/** The store failed (open, migrate or write a batch). The message names the store, never its credentials. */
export class AuditStoreError extends AuditError {
  override readonly code = "ERR_AUDIT_STORE";
  override name = "AuditStoreError";
  readonly store: "sqlite" | "postgres";

  constructor(store: "sqlite" | "postgres", message: string) {
    super(`audit log (${store}): ${message}`);
    this.store = store;
  }
}

/** The log was closed: appends, queries and purges after `close()`. */
export class AuditClosedError extends AuditError {
  override readonly code = "ERR_AUDIT_CLOSED";
  override name = "AuditClosedError";

  constructor() {
    super("audit log is closed");
  }
}

/** An audit query that cannot be run (bad limit, time, outcome or cursor); answered with 400. */
export class InvalidAuditQueryError extends GatewayError {
  override readonly code = "invalid_query";
  override readonly status = 400;
  override name = "InvalidAuditQueryError";
}
