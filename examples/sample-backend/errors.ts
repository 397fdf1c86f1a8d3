/**
 * The one error family of the sample backend. Every failure a client can cause is an `ApiError`
 * with an HTTP status and a stable `code`; `toErrorBody` is the only place that turns an error
 * into the documented `Error` response body.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export class MissingFieldError extends ApiError {
  constructor(field: string, message = `field '${field}' is required`) {
    super(400, 'missing_field', message, field);
  }
}

export class InvalidFieldError extends ApiError {
  constructor(field: string, message: string) {
    super(400, 'invalid_field', message, field);
  }
}

export class InvalidJsonError extends ApiError {
  constructor(message: string) {
    super(400, 'invalid_json', message);
  }
}

export class UnauthorizedError extends ApiError {
  constructor() {
    super(401, 'unauthorized', 'a valid bearer token is required');
  }
}

export class NotFoundError extends ApiError {
  constructor(resource: string, id: string) {
    super(404, 'not_found', `${resource} '${id}' not found`);
  }
}

export class RouteNotFoundError extends ApiError {
  constructor(method: string, path: string) {
    super(404, 'not_found', `no operation for ${method} ${path}`);
  }
}

/** GoCSM's tracked-accounts guard: the caller asked for tracked accounts only (`tracked_only=true`). */
export class AccountNotTrackedError extends ApiError {
  constructor(name: string, id: string) {
    super(403, 'account_not_tracked', `Account ${name} (${id}) is not in your tracked accounts; track it in the dashboard first.`);
  }
}

export class ConflictError extends ApiError {
  constructor(message: string, field?: string) {
    super(409, 'conflict', message, field);
  }
}

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

/** Unexposed errors become a generic `internal_error`; the caller logs the detail. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ApiError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.field !== undefined) body.error.field = error.field;
    return { status: error.status, body };
  }
  return { status: 500, body: { error: { code: 'internal_error', message: 'internal server error' } } };
}
