import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createApp } from './app.ts';
import { openDatabase } from './db/schema.ts';
import { seedDatabase } from './db/seed.ts';
import { Store } from './db/store.ts';
import { createClock, startOfUtcDay } from './domain/dates.ts';

export { createApp } from './app.ts';

export interface SampleBackendOptions {
  /** TCP port; default 4010, 0 picks a free port. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** The bearer token clients must send. */
  token: string;
  /** Reference date of the seed data; default today 00:00 UTC. */
  now?: Date;
  /** SQLite file; default ':memory:'. An existing file keeps its data and is not re-seeded. */
  dbPath?: string;
}

export interface SampleBackend {
  /** e.g. `http://127.0.0.1:4010`; the API lives under `${url}/tenants/{tenant}`. */
  url: string;
  close(): Promise<void>;
}

/** Starts the sample customer-success backend, seeded with deterministic data for three tenants. */
export async function startSampleBackend(options: SampleBackendOptions): Promise<SampleBackend> {
  if (typeof options.token !== 'string' || options.token === '') throw new TypeError('startSampleBackend: options.token must be a non-empty string');
  const host = options.host ?? '127.0.0.1';
  const now = options.now ?? startOfUtcDay(new Date());
  const { db, created } = openDatabase(options.dbPath ?? ':memory:');
  if (created) seedDatabase(db, now);
  const app = createApp({ store: new Store(db), clock: createClock(now), token: options.token });
  const server = createServer(app.callback());
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4010, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => {
        db.close();
        if (error) reject(error);
        else resolve();
      });
    }),
  };
}

async function main(): Promise<void> {
  const token = process.env.SAMPLE_BACKEND_TOKEN;
  if (token === undefined || token === '') {
    console.error('SAMPLE_BACKEND_TOKEN must be set (the bearer token clients will send)');
    process.exitCode = 1;
    return;
  }
  const port = process.env.PORT === undefined ? 4010 : Number(process.env.PORT);
  const backend = await startSampleBackend({ token, port });
  console.log(`sample backend listening on ${backend.url} (tenants: acme, globex, initech)`);
  const stop = () => void backend.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
