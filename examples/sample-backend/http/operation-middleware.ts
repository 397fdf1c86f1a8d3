import type { RouterMiddleware } from '@koa/router';
import type { Store } from '../db/store.ts';
import type { Clock } from '../domain/dates.ts';
import { ApiError } from '../errors.ts';
import type { Operation } from '../openapi.ts';
import type { Handler } from './handler.ts';
import { readJsonBody } from './read-json-body.ts';

export interface OperationDependencies {
  store: Store;
  clock: Clock;
  tenants: ReadonlySet<string>;
}

/** Koa glue for one operation: tenant check → validated query/body → handler → status and body. */
export function operationMiddleware(operation: Operation, handler: Handler, dependencies: OperationDependencies): RouterMiddleware {
  const { store, clock, tenants } = dependencies;
  return async function runOperation(ctx) {
    const { tenant, ...params } = ctx.params as Record<string, string>;
    if (tenant === undefined || !tenants.has(tenant)) throw new ApiError(404, 'not_found', `tenant '${tenant ?? ''}' not found`);
    const query = operation.parseQuery(ctx.query);
    const body = operation.parseBody === undefined ? {} : operation.parseBody(await readJsonBody(ctx));
    ctx.body = handler({ store, clock, tenantId: tenant, params, query, body });
    ctx.status = operation.successStatus;
  };
}
