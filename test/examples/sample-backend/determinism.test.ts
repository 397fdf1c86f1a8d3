import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../examples/sample-backend/db/schema.ts';
import { seedDatabase } from '../../../examples/sample-backend/db/seed.ts';

function dump(now: Date): string {
  const { db } = openDatabase(':memory:');
  seedDatabase(db, now);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
  const snapshot = tables.map(({ name }) => [name, db.prepare(`SELECT * FROM ${name} ORDER BY rowid`).all()]);
  db.close();
  return JSON.stringify(snapshot);
}

describe('seed', () => {
  it('gives byte-identical data for the same reference date', () => {
    const now = new Date('2026-03-01T00:00:00.000Z');
    expect(dump(now)).toBe(dump(now));
  });

  it('moves with the reference date', () => {
    expect(dump(new Date('2026-03-01T00:00:00.000Z'))).not.toBe(dump(new Date('2026-03-02T00:00:00.000Z')));
  });

  it('gives every tenant at least 200 companies, each row tagged with its tenant', () => {
    const { db } = openDatabase(':memory:');
    seedDatabase(db, new Date('2026-03-01T00:00:00.000Z'));
    const counts = db.prepare('SELECT tenant_id, count(*) AS n FROM companies GROUP BY tenant_id ORDER BY tenant_id').all();
    expect(counts.map((row) => row.tenant_id)).toEqual(['acme', 'globex', 'initech']);
    for (const row of counts) expect(row.n).toBeGreaterThanOrEqual(200);
    const strays = db.prepare(`SELECT count(*) AS n FROM relationships r JOIN companies c ON c.id = r.company_id WHERE r.tenant_id != c.tenant_id`).get();
    expect(strays?.n).toBe(0);
    db.close();
  });
});
