/** Items that arrive over time (messages in, messages out), and a wait for the n-th with a timeout. */
export interface Collector<T> {
  readonly items: T[];
  push(item: T): void;
  /** Resolves with the first `count` items once there are that many; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  /** Resolves with every item so far once `done(items)` holds; rejects after `timeoutMs`. */
  waitUntil(done: (items: T[]) => boolean, timeoutMs?: number): Promise<T[]>;
}

export function createCollector<T>(what = 'items'): Collector<T> {
  const items: T[] = [];
  const waiters = new Set<() => void>();
  return {
    items,
    push(item) {
      items.push(item);
      for (const wake of [...waiters]) wake();
    },
    async waitFor(count, timeoutMs = 3000) {
      await wait(() => items.length >= count, `${count} ${what}`, timeoutMs);
      return items.slice(0, count);
    },
    async waitUntil(done, timeoutMs = 3000) {
      await wait(() => done(items), `the expected ${what}`, timeoutMs);
      return [...items];
    },
  };

  function wait(ready: () => boolean, expected: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      const check = () => {
        if (!ready()) return;
        finish();
        resolve();
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`expected ${expected} within ${timeoutMs} ms, got ${items.length}: ${describe(items)}`));
      }, timeoutMs);
      waiters.add(check);
      check();
    });
  }
}

function describe(items: unknown[]): string {
  // Buffers reach the replacer already as { type: 'Buffer', data }; their bytes would drown the message.
  const short = (_: string, value: unknown) =>
    (value as { type?: unknown } | null)?.type === 'Buffer' ? `<${(value as { data: unknown[] }).data.length} bytes>` : value;
  return JSON.stringify(items, short).slice(0, 2000);
}
