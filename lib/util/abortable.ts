/**
 * Ending long streams on the caller's terms: an `AbortSignal`, or `return()` (a `break`)
 * even while a `next()` waits.
 *
 * @module
 */
import { AbortError } from '../errors.js';

/** The {@link AbortError} for `signal`'s abort. */
export function abortErrorOf(signal: AbortSignal, what: string): AbortError {
  return new AbortError(`${what} was aborted`, { cause: signal.reason });
}

/** Waits `ms`, or less when `signal` aborts (never rejects; leaves no timer or listener behind). */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Wraps the generator `make(stop)` so that it ends promptly: `return()` (as `break` calls it)
 * aborts `stop`, which the generator watches at each wait, so a pending `next()` resolves done;
 * an abort of `signal` does the same, and the pending or next `next()` rejects with an
 * {@link AbortError}. The generator's own `finally` runs in both cases (its fds are closed).
 */
export function abortable<T>(make: (stop: AbortSignal) => AsyncGenerator<T>, signal: AbortSignal | undefined, what: string): AsyncIterableIterator<T> {
  const stop = new AbortController();
  const onAbort = (): void => stop.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted === true) onAbort();
  const gen = make(stop.signal);
  let returned = false;
  const release = (): void => signal?.removeEventListener('abort', onAbort);
  const it: AsyncIterableIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      if (returned) return { done: true, value: undefined };
      let r: IteratorResult<T>;
      try {
        r = signal?.aborted === true ? { done: true, value: undefined } : await gen.next();
      } catch (err) {
        release();
        throw err;
      }
      if (returned) return { done: true, value: undefined };
      if (signal?.aborted === true) {
        returned = true;
        release();
        await gen.return(undefined);
        throw abortErrorOf(signal, what);
      }
      if (r.done === true) {
        returned = true;
        release();
      }
      return r;
    },
    async return(): Promise<IteratorResult<T>> {
      if (!returned) {
        returned = true;
        release();
        stop.abort();
        await gen.return(undefined); // runs after a pending next(), which `stop` ends at once
      }
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}
