import { limiter } from '../../../lib/util/limit.js';

const tick = (ms = 0): Promise<void> => new Promise((r) => setTimeout(r, ms));

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('limiter', () => {
  it('runs at most max at once, in FIFO order', async () => {
    const run = limiter(1);
    const order: string[] = [];
    const a = deferred();
    const pa = run(async () => { order.push('a start'); await a.promise; order.push('a end'); });
    const pb = run(async () => { order.push('b'); });
    await tick();
    expect(order).toEqual(['a start']);
    a.resolve();
    await Promise.all([pa, pb]);
    expect(order).toEqual(['a start', 'a end', 'b']);
  });

  it('lets the next start once a slow call has held its slot for holdMs', async () => {
    const run = limiter(1, 20);
    const slow = deferred();
    const ps = run(() => slow.promise);
    let bRan = false;
    const pb = run(async () => { bRan = true; });
    await tick(5);
    expect(bRan).toBe(false);
    await pb; // within ~20 ms although the slow one still runs
    expect(bRan).toBe(true);
    slow.resolve();
    await ps;
  });

  it('a rejection frees the slot and reaches the caller', async () => {
    const run = limiter(1);
    await expect(run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(run(async () => 1)).resolves.toBe(1);
  });

  it('an aborted queued call leaves the queue at once', async () => {
    const run = limiter(1);
    const a = deferred();
    const pa = run(() => a.promise);
    const ac = new AbortController();
    let ran = false;
    const pb = run(async () => { ran = true; }, ac.signal);
    ac.abort(new Error('stop'));
    await expect(pb).rejects.toThrow('stop');
    a.resolve();
    await pa;
    await run(async () => undefined);
    expect(ran).toBe(false);
  });
});
