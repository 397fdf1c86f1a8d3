import { describe, expect, it } from "vitest";
import { AuditClosedError } from "../../../runtime/audit/index.ts";
import { GroupCommitQueue } from "../../../runtime/audit/batcher.ts";

function recordingQueue(options: { maxBatch: number; maxDelayMs: number; fail?: (items: readonly number[]) => boolean; writeMs?: number }) {
  const batches: number[][] = [];
  const queue = new GroupCommitQueue<number>({
    maxBatch: options.maxBatch,
    maxDelayMs: options.maxDelayMs,
    async write(items) {
      batches.push([...items]);
      if (options.writeMs) await new Promise((resolve) => setTimeout(resolve, options.writeMs));
      if (options.fail?.(items)) throw new Error(`batch ${batches.length} failed`);
    },
  });
  return { queue, batches };
}

describe("GroupCommitQueue", () => {
  it("writes a full batch at once, without waiting for the delay", async () => {
    const { queue, batches } = recordingQueue({ maxBatch: 3, maxDelayMs: 60_000 });
    await Promise.all([1, 2, 3].map((item) => queue.add(item)));
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it("writes a batch that is not full after the delay", async () => {
    const { queue, batches } = recordingQueue({ maxBatch: 100, maxDelayMs: 20 });
    const started = performance.now();
    await Promise.all([queue.add(1), queue.add(2)]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
    expect(batches).toEqual([[1, 2]]);
  });

  it("groups what arrives while a batch is being written into the next one", async () => {
    const { queue, batches } = recordingQueue({ maxBatch: 100, maxDelayMs: 1, writeMs: 30 });
    const first = queue.add(1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await Promise.all([first, ...[2, 3, 4].map((item) => queue.add(item))]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it("writes one batch at a time, never two at once", async () => {
    let writing = 0;
    let most = 0;
    const queue = new GroupCommitQueue<number>({
      maxBatch: 10,
      maxDelayMs: 1,
      async write() {
        most = Math.max(most, ++writing);
        await new Promise((resolve) => setTimeout(resolve, 2));
        writing--;
      },
    });
    await Promise.all(Array.from({ length: 500 }, (_, item) => queue.add(item)));
    expect(most).toBe(1);
  });

  it("rejects only the appends of a failed batch, and writes the later ones", async () => {
    const { queue, batches } = recordingQueue({ maxBatch: 2, maxDelayMs: 1, fail: (items) => items.includes(3) });
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((item) => queue.add(item)));
    expect(batches).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(results.map((result) => result.status)).toEqual(["fulfilled", "fulfilled", "rejected", "rejected", "fulfilled", "fulfilled"]);
  });

  it("counts as pending what is added and not yet written", async () => {
    const { queue } = recordingQueue({ maxBatch: 100, maxDelayMs: 5, writeMs: 20 });
    const appends = [1, 2, 3].map((item) => queue.add(item));
    expect(queue.pending).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(queue.pending).toBe(3);
    await Promise.all(appends);
    expect(queue.pending).toBe(0);
  });

  it("close() writes everything already added, then refuses more", async () => {
    const { queue, batches } = recordingQueue({ maxBatch: 4, maxDelayMs: 60_000, writeMs: 5 });
    const appends = Array.from({ length: 10 }, (_, item) => queue.add(item));
    await queue.close();
    expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await expect(Promise.all(appends)).resolves.toBeDefined();
    await expect(queue.add(10)).rejects.toBeInstanceOf(AuditClosedError);
    expect(queue.pending).toBe(0);
  });

  it("close() on an idle queue resolves at once", async () => {
    const { queue } = recordingQueue({ maxBatch: 4, maxDelayMs: 1 });
    await queue.close();
    await expect(queue.add(1)).rejects.toThrow("audit log is closed");
  });
});
