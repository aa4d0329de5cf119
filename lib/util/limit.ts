/**
 * A concurrency limit for work that runs off the JS thread but still competes with it for CPU.
 *
 * @module
 */

/** Runs functions with at most `max` of them holding a slot at once; the rest queue (FIFO). */
export type Limiter = <T>(fn: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

/**
 * A {@link Limiter}. A call gives its slot up when it settles or after `holdMs`, whichever comes
 * first (it goes on running): a slow one (a cgroup that takes seconds to drain) never holds the
 * others up for longer than that. A queued call whose `signal` aborts leaves the queue at once.
 */
export function limiter(max: number, holdMs = Infinity): Limiter {
  let running = 0;
  const queue: { go: () => void }[] = [];
  const release = (): void => {
    const next = queue.shift();
    if (next) next.go(); // the slot passes straight on
    else running--;
  };
  return async <T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> => {
    signal?.throwIfAborted();
    if (running < max) running++;
    else {
      await new Promise<void>((resolve, reject) => {
        const entry = {
          go: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = (): void => {
          const i = queue.indexOf(entry);
          if (i >= 0) queue.splice(i, 1);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(entry);
      });
    }
    let held = true;
    const give = (): void => {
      if (!held) return;
      held = false;
      release();
    };
    const timer = Number.isFinite(holdMs) ? setTimeout(give, holdMs) : undefined;
    timer?.unref();
    try {
      return await fn();
    } finally {
      clearTimeout(timer);
      give();
    }
  };
}
