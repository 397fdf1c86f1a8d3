import { buildQuery } from '../domain/query-builder.ts';
import type { QueryRequest } from '../domain/query-builder.ts';
import { findObject } from '../domain/objects.ts';
import { InvalidFieldError } from '../errors.ts';
import { readString } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';

/** Flexible querying over the whitelisted objects: filters, sorting, paging and grouped aggregates. */
function queryObjects({ store, tenantId, body }: HandlerInput) {
  const name = readString(body, 'object') ?? '';
  const object = findObject(name);
  if (object === undefined) throw new InvalidFieldError('object', `unknown object '${name}'`);
  const built = buildQuery(object, tenantId, body as QueryRequest);
  // Not cached in the store: the SQL text varies with each request's shape.
  const rows = store.db.prepare(built.sql).all(...built.params);
  const total = store.db.prepare(built.countSql).get(...built.countParams) as { total: number } | undefined;
  const data = rows.map((row) => {
    const item: Record<string, unknown> = { ...row };
    for (const columnName of built.booleanColumns) if (typeof item[columnName] === 'number') item[columnName] = item[columnName] === 1;
    return item;
  });
  return { object: object.name, data, total: total?.total ?? 0, limit: built.limit, offset: built.offset };
}

export const queryHandlers = { queryObjects };
