import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';

export type SqlValue = SQLInputValue;

/**
 * Thin wrapper over `DatabaseSync` that prepares each SQL text once. Every SQL text is built from
 * constant fragments in this codebase (user input only ever arrives as bound parameters), so the
 * cache stays small and bounded.
 */
export class Store {
  readonly db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(db: DatabaseSync) {
    this.db = db;
  }

  statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  get<T>(sql: string, params: readonly SqlValue[] = []): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, params: readonly SqlValue[] = []): T[] {
    return this.statement(sql).all(...params) as T[];
  }

  run(sql: string, params: readonly SqlValue[] = []): void {
    this.statement(sql).run(...params);
  }

  transaction<T>(work: () => T): T {
    this.db.exec('BEGIN');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }
}

/** Collects constant SQL conditions and their bound parameters. */
export class Conditions {
  readonly clauses: string[] = [];
  readonly params: SqlValue[] = [];

  constructor(clause: string, ...params: SqlValue[]) {
    this.add(clause, ...params);
  }

  add(clause: string, ...params: SqlValue[]): this {
    this.clauses.push(clause);
    this.params.push(...params);
    return this;
  }

  /** Adds the clause only when the value was given. */
  when(value: SqlValue | undefined, clause: string): this {
    if (value !== undefined) this.add(clause, value);
    return this;
  }

  get sql(): string {
    return this.clauses.join(' AND ');
  }
}

/** `LIKE` pattern for a substring search; `%`, `_` and `\` in the input match literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

export interface Page<T> {
  data: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface PageQuery {
  /** `SELECT …` list without the keyword. */
  select: string;
  /** `FROM …` including joins, without the keyword. */
  from: string;
  where: Conditions;
  orderBy: string;
  limit: number;
  offset: number;
}

export function selectPage<Row, T>(store: Store, query: PageQuery, toItem: (row: Row) => T): Page<T> {
  const where = query.where.sql;
  const count = store.get<{ total: number }>(`SELECT count(*) AS total FROM ${query.from} WHERE ${where}`, query.where.params);
  const rows = store.all<Row>(
    `SELECT ${query.select} FROM ${query.from} WHERE ${where} ORDER BY ${query.orderBy} LIMIT ? OFFSET ?`,
    [...query.where.params, query.limit, query.offset],
  );
  return { data: rows.map(toItem), total: count?.total ?? 0, limit: query.limit, offset: query.offset };
}
