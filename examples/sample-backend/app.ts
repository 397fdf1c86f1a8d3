import { readFileSync } from 'node:fs';
import Router from '@koa/router';
import Koa from 'koa';
import type { Context, Next } from 'koa';
import type { Store } from './db/store.ts';
import type { Clock } from './domain/dates.ts';
import { RouteNotFoundError } from './errors.ts';
import type { HandlerTable } from './http/handler.ts';
import { operationMiddleware } from './http/operation-middleware.ts';
import { renderErrors } from './http/render-errors.ts';
import { requireBearerToken } from './http/require-bearer-token.ts';
import { loadOperations, OPENAPI_PATH } from './openapi.ts';
import type { Operation } from './openapi.ts';
import { HANDLERS } from './routes/index.ts';

export interface AppOptions {
  store: Store;
  clock: Clock;
  /** The bearer token every API request must present. */
  token: string;
}

/** `/companies/{companyId}` → `/tenants/:tenant/companies/:companyId`. */
function routePath(openApiPath: string): string {
  return `/tenants/:tenant${openApiPath.replace(/\{(\w+)\}/g, ':$1')}`;
}

/** Every operation in openapi.yaml needs a handler and every handler an operation: checked at start-up. */
function pairHandlers(operations: readonly Operation[], handlers: HandlerTable): void {
  const documented = new Set(operations.map((operation) => operation.operationId));
  const missing = [...documented].filter((id) => !Object.hasOwn(handlers, id));
  const undocumented = Object.keys(handlers).filter((id) => !documented.has(id));
  if (missing.length > 0 || undocumented.length > 0) {
    throw new TypeError(`openapi.yaml and routes/ disagree: no handler for [${missing.join(', ')}], not documented [${undocumented.join(', ')}]`);
  }
}

function publicEndpoints(): Koa.Middleware {
  const openApiText = readFileSync(OPENAPI_PATH, 'utf8');
  return async function servePublicEndpoints(ctx: Context, next: Next) {
    if (ctx.method === 'GET' && ctx.path === '/healthz') {
      ctx.body = { status: 'ok' };
      return;
    }
    if (ctx.method === 'GET' && ctx.path === '/openapi.yaml') {
      ctx.type = 'application/yaml';
      ctx.body = openApiText;
      return;
    }
    await next();
  };
}

async function routeNotFound(ctx: Context, next: Next): Promise<void> {
  await next();
  if (ctx.body === undefined) throw new RouteNotFoundError(ctx.method, ctx.path);
}

/** Builds the Koa app: the route table is openapi.yaml's operations paired with `HANDLERS`. */
export function createApp(options: AppOptions): Koa {
  const operations = loadOperations();
  pairHandlers(operations, HANDLERS);
  const tenantRows = options.store.all<{ id: string }>('SELECT id FROM tenants');
  const dependencies = { store: options.store, clock: options.clock, tenants: new Set(tenantRows.map((row) => row.id)) };
  const router = new Router();
  for (const operation of operations) {
    const handler = HANDLERS[operation.operationId];
    if (handler === undefined) continue;
    router.register(routePath(operation.path), [operation.method], operationMiddleware(operation, handler, dependencies));
  }
  const app = new Koa();
  app.silent = true;
  app.use(renderErrors);
  app.use(publicEndpoints());
  app.use(requireBearerToken(options.token));
  app.use(routeNotFound);
  app.use(router.routes());
  return app;
}
