import { Pool } from "undici";

export interface LoadTarget {
  readonly origin: string;
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /** Checks one answer; a benchmark of wrong answers is worthless. */
  readonly verify: (status: number, body: string) => boolean;
}

export interface LoadResult {
  readonly calls: number;
  readonly errors: number;
  readonly callsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Closed-loop load: `concurrency` callers each send the next request when the last answers,
 * for `seconds` after a warm-up. Bounded in time and count, loopback only.
 */
export async function runLoad(target: LoadTarget, concurrency: number, seconds: number, warmupSeconds = 1): Promise<LoadResult> {
  const pool = new Pool(target.origin, { connections: concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let errors = 0;
  let measuring = false;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const started = performance.now();
      try {
        const response = await pool.request({ method: target.method, path: target.path, headers: target.headers, body: target.body ?? null });
        const text = await response.body.text();
        if (measuring) {
          if (target.verify(response.statusCode, text)) latencies.push(performance.now() - started);
          else errors++;
        }
      } catch {
        if (measuring) errors++;
      }
    }
  };
  const workers = Array.from({ length: concurrency }, worker);
  await sleep(warmupSeconds * 1000);
  measuring = true;
  const begun = performance.now();
  await sleep(seconds * 1000);
  measuring = false;
  const elapsed = (performance.now() - begun) / 1000;
  stop = true;
  await Promise.all(workers);
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { calls: latencies.length, errors, callsPerSecond: latencies.length / elapsed, p50Ms: at(0.5), p99Ms: at(0.99) };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
