import { startSampleBackend } from '../../../examples/sample-backend/server.ts';
import type { SampleBackend } from '../../../examples/sample-backend/server.ts';

export const TOKEN = 'test-token-0123456789';
export const NOW = new Date('2026-05-17T00:00:00.000Z');

export interface ApiResponse {
  status: number;
  body: any;
}

export interface Api {
  backend: SampleBackend;
  call(method: string, path: string, options?: { tenant?: string; body?: unknown; token?: string | null }): Promise<ApiResponse>;
  /** GET under a tenant, failing the test unless it answers 200. */
  get(path: string, tenant?: string): Promise<any>;
}

/** Starts the real server on a random port, as the gateway would reach it. */
export async function startApi(): Promise<Api> {
  const backend = await startSampleBackend({ port: 0, token: TOKEN, now: NOW });
  async function call(method: string, path: string, options: { tenant?: string; body?: unknown; token?: string | null } = {}) {
    const headers: Record<string, string> = {};
    const token = options.token === undefined ? TOKEN : options.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const prefix = options.tenant === undefined ? '/tenants/acme' : options.tenant === '' ? '' : `/tenants/${options.tenant}`;
    const response = await fetch(`${backend.url}${prefix}${path}`, {
      method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  }
  async function get(path: string, tenant = 'acme') {
    const response = await call('GET', path, { tenant });
    if (response.status !== 200) throw new Error(`GET ${path} → ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }
  return { backend, call, get };
}
