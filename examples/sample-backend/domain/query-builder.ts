import type { SqlValue } from '../db/store.ts';
import { InvalidFieldError, MissingFieldError } from '../errors.ts';
import type { FieldDefinition, ObjectDefinition } from './objects.ts';

export interface QueryRequest {
  fields?: string[];
  filters?: Array<{ field: string; op: string; value?: unknown }>;
  sort?: Array<{ field: string; direction?: string }>;
  limit?: number;
  offset?: number;
  aggregate?: { group_by?: string[]; metrics: Array<{ fn: string; field?: string }> };
}

export interface BuiltQuery {
  sql: string;
  countSql: string;
  params: SqlValue[];
  countParams: SqlValue[];
  /** Output columns that hold SQLite 0/1 and must become booleans. */
  booleanColumns: string[];
  limit: number;
  offset: number;
}

const NUMERIC = new Set(['integer', 'number']);
const COMPARISON: Readonly<Record<string, string>> = { eq: '=', ne: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=' };

function fieldOf(object: ObjectDefinition, name: string, path: string): FieldDefinition {
  const field = object.fields.find((candidate) => candidate.name === name);
  if (field === undefined) {
    const allowed = object.fields.map((candidate) => candidate.name).join(', ');
    throw new InvalidFieldError(path, `unknown field '${name}' for object '${object.name}'; allowed: ${allowed}`);
  }
  return field;
}

/** Column names are emitted only after they matched the whitelist; quoting keeps them identifiers. */
const column = (field: FieldDefinition) => `"${field.name}"`;

function bindValue(field: FieldDefinition, value: unknown, path: string): SqlValue {
  if (field.type === 'boolean') {
    if (typeof value !== 'boolean') throw new InvalidFieldError(path, `field '${path}' must be a boolean for '${field.name}'`);
    return value ? 1 : 0;
  }
  if (NUMERIC.has(field.type)) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidFieldError(path, `field '${path}' must be a number for '${field.name}'`);
    return value;
  }
  if (typeof value !== 'string') throw new InvalidFieldError(path, `field '${path}' must be a string for '${field.name}'`);
  return value;
}

function filterClause(object: ObjectDefinition, filter: { field: string; op: string; value?: unknown }, index: number): { clause: string; params: SqlValue[] } {
  const field = fieldOf(object, filter.field, `filters[${index}].field`);
  const valuePath = `filters[${index}].value`;
  if (!Object.hasOwn(filter, 'value')) throw new MissingFieldError(valuePath);
  const { op, value } = filter;
  if (op === 'in') {
    if (!Array.isArray(value) || value.length === 0) throw new InvalidFieldError(valuePath, `field '${valuePath}' must be a non-empty array for op 'in'`);
    return { clause: `${column(field)} IN (${value.map(() => '?').join(', ')})`, params: value.map((item, i) => bindValue(field, item, `${valuePath}[${i}]`)) };
  }
  if (op === 'contains') {
    if (typeof value !== 'string') throw new InvalidFieldError(valuePath, `field '${valuePath}' must be a string for op 'contains'`);
    return { clause: `${column(field)} LIKE ? ESCAPE '\\'`, params: [`%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`] };
  }
  if (value === null && (op === 'eq' || op === 'ne')) return { clause: `${column(field)} IS ${op === 'eq' ? '' : 'NOT '}NULL`, params: [] };
  const operator = COMPARISON[op];
  if (operator === undefined) throw new InvalidFieldError(`filters[${index}].op`, `unknown op '${op}'`);
  return { clause: `${column(field)} ${operator} ?`, params: [bindValue(field, value, valuePath)] };
}

interface Selection { expressions: string[]; outputs: Map<string, FieldDefinition | null>; groupBy: string[] }

function aggregateSelection(object: ObjectDefinition, aggregate: NonNullable<QueryRequest['aggregate']>): Selection {
  const outputs = new Map<string, FieldDefinition | null>();
  const expressions: string[] = [];
  const groupBy = (aggregate.group_by ?? []).map((name, i) => fieldOf(object, name, `aggregate.group_by[${i}]`));
  for (const field of groupBy) {
    expressions.push(column(field));
    outputs.set(field.name, field);
  }
  aggregate.metrics.forEach((metric, i) => {
    const path = `aggregate.metrics[${i}].field`;
    if (metric.field === undefined && metric.fn !== 'count') throw new MissingFieldError(path, `field '${path}' is required for '${metric.fn}'`);
    const field = metric.field === undefined ? null : fieldOf(object, metric.field, path);
    if (field !== null && (metric.fn === 'sum' || metric.fn === 'avg') && !NUMERIC.has(field.type)) {
      throw new InvalidFieldError(path, `'${metric.fn}' needs a numeric field; '${field.name}' is ${field.type}`);
    }
    const alias = field === null ? metric.fn : `${metric.fn}_${field.name}`;
    const argument = field === null ? '*' : column(field);
    expressions.push(metric.fn === 'avg' ? `round(avg(${argument}), 2) AS "${alias}"` : `${metric.fn}(${argument}) AS "${alias}"`);
    outputs.set(alias, null);
  });
  return { expressions, outputs, groupBy: groupBy.map(column) };
}

/**
 * Turns a validated `POST /query` body into SQL. Every identifier comes from the object's field
 * whitelist (or an alias built from one); every value is a bound parameter.
 */
export function buildQuery(object: ObjectDefinition, tenantId: string, request: QueryRequest): BuiltQuery {
  const clauses = ['"tenant_id" = ?'];
  const params: SqlValue[] = [tenantId];
  (request.filters ?? []).forEach((filter, index) => {
    const built = filterClause(object, filter, index);
    clauses.push(built.clause);
    params.push(...built.params);
  });
  const where = clauses.join(' AND ');
  let selection: Selection;
  if (request.aggregate === undefined) {
    const selected = (request.fields ?? object.fields.map((field) => field.name)).map((name, i) => fieldOf(object, name, `fields[${i}]`));
    selection = { expressions: selected.map(column), outputs: new Map(selected.map((field) => [field.name, field])), groupBy: [] };
  } else {
    selection = aggregateSelection(object, request.aggregate);
  }
  const order = (request.sort ?? []).map((entry, i) => {
    if (!selection.outputs.has(entry.field) && request.aggregate !== undefined) {
      throw new InvalidFieldError(`sort[${i}].field`, `can only sort an aggregate by its groups or metrics: ${[...selection.outputs.keys()].join(', ')}`);
    }
    const name = selection.outputs.has(entry.field) ? `"${entry.field}"` : column(fieldOf(object, entry.field, `sort[${i}].field`));
    return `${name} ${entry.direction === 'desc' ? 'DESC' : 'ASC'}`;
  });
  if (order.length === 0) order.push(...(request.aggregate === undefined ? ['"id" ASC'] : selection.groupBy.map((name) => `${name} ASC`)));
  const groupSql = selection.groupBy.length > 0 ? ` GROUP BY ${selection.groupBy.join(', ')}` : '';
  const limit = request.limit ?? 25;
  const offset = request.offset ?? 0;
  const base = `FROM "${object.table}" WHERE ${where}`;
  const countSql = request.aggregate === undefined ? `SELECT count(*) AS total ${base}`
    : selection.groupBy.length === 0 ? 'SELECT 1 AS total' : `SELECT count(*) AS total FROM (SELECT 1 ${base}${groupSql})`;
  return {
    sql: `SELECT ${selection.expressions.join(', ')} ${base}${groupSql}${order.length > 0 ? ` ORDER BY ${order.join(', ')}` : ''} LIMIT ? OFFSET ?`,
    countSql,
    params: [...params, limit, offset],
    countParams: selection.groupBy.length === 0 && request.aggregate !== undefined ? [] : params,
    booleanColumns: [...selection.outputs].filter(([, field]) => field?.type === 'boolean').map(([name]) => name),
    limit,
    offset,
  };
}
