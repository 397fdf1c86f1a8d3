import type { Store } from '../db/store.ts';
import { readPage } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';

interface TypeRow {
  id: string; name: string; description: string; default_priority: string; default_status_id: string; required_fields: string;
}
interface StatusRow { id: string; name: string; is_closed: number; requires_comments: number }
interface ReasonRow { id: string; name: string }

export interface CtaType {
  id: string;
  name: string;
  description: string;
  default_priority: string;
  default_status_id: string;
  required_fields: string[];
  statuses: Array<{ id: string; name: string; is_closed: boolean; requires_comments: boolean }>;
  reasons: ReasonRow[];
  dependencies: Array<{ field: string; depends_on: string; rule: string }>;
}

const DEPENDENCIES = [
  { field: 'reason_id', depends_on: 'type_id', rule: "must be one of the type's reasons" },
  { field: 'status_id', depends_on: 'type_id', rule: "must be one of the type's statuses" },
  { field: 'comments', depends_on: 'status_id', rule: 'required when the status has requires_comments' },
];

function toCtaType(store: Store, tenantId: string, row: TypeRow): CtaType {
  const statuses = store.all<StatusRow>(
    `SELECT s.id, s.name, s.is_closed, s.requires_comments FROM cta_type_statuses ts
     JOIN cta_statuses s ON s.tenant_id = ts.tenant_id AND s.id = ts.status_id
     WHERE ts.tenant_id = ? AND ts.type_id = ? ORDER BY s.position`, [tenantId, row.id]);
  return {
    id: row.id, name: row.name, description: row.description, default_priority: row.default_priority,
    default_status_id: row.default_status_id, required_fields: JSON.parse(row.required_fields) as string[],
    statuses: statuses.map((status) => ({
      id: status.id, name: status.name, is_closed: status.is_closed === 1, requires_comments: status.requires_comments === 1,
    })),
    reasons: store.all<ReasonRow>('SELECT id, name FROM cta_reasons WHERE tenant_id = ? AND type_id = ? ORDER BY rowid', [tenantId, row.id]),
    dependencies: DEPENDENCIES,
  };
}

const TYPE_SELECT = 'SELECT id, name, description, default_priority, default_status_id, required_fields FROM cta_types';

/** A CTA type with its statuses and reasons, or undefined; used to validate CTA writes. */
export function findCtaType(store: Store, tenantId: string, typeId: string): CtaType | undefined {
  const row = store.get<TypeRow>(`${TYPE_SELECT} WHERE tenant_id = ? AND id = ?`, [tenantId, typeId]);
  return row === undefined ? undefined : toCtaType(store, tenantId, row);
}

function listCtaTypes({ store, tenantId, query }: HandlerInput) {
  const { limit, offset } = readPage(query);
  const rows = store.all<TypeRow>(`${TYPE_SELECT} WHERE tenant_id = ? ORDER BY position LIMIT ? OFFSET ?`, [tenantId, limit, offset]);
  const total = store.get<{ n: number }>('SELECT count(*) AS n FROM cta_types WHERE tenant_id = ?', [tenantId])?.n ?? 0;
  return { data: rows.map((row) => toCtaType(store, tenantId, row)), total, limit, offset };
}

export const ctaTypeHandlers = { listCtaTypes };
