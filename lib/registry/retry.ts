/**
 * Retry policy: which failures are retried and how long to wait.
 *
 * @module
 */
import type { RetryOptions } from './options.js';

/** A retry policy with every field set. */
export type RetryPolicy = Required<RetryOptions>;

/** Fills the defaults of a retry policy. */
export function retryPolicy(opts: RetryOptions = {}): RetryPolicy {
  return { attempts: opts.attempts ?? 4, baseDelayMs: opts.baseDelayMs ?? 250, maxDelayMs: opts.maxDelayMs ?? 10_000 };
}

/** Statuses worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

const RETRYABLE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ECONNREFUSED', 'EAI_AGAIN', 'ERR_STREAM_PREMATURE_CLOSE']);

/** Whether a thrown fetch error is a transient network failure. */
export function isRetryableError(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth++) {
    const code = (e as { code?: unknown }).code;
    const errno = (e as { errno?: unknown }).errno;
    if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return true;
    if (typeof errno === 'string' && RETRYABLE_CODES.has(errno)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Delay before attempt `attempt` (1 = first retry): the `Retry-After` header when
 * present (seconds or an HTTP date), else exponential backoff; capped either way.
 */
export function retryDelay(policy: RetryPolicy, attempt: number, retryAfter?: string | null): number {
  if (retryAfter !== undefined && retryAfter !== null && retryAfter.trim() !== '') {
    const secs = Number(retryAfter.trim());
    const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(retryAfter) - Date.now();
    if (Number.isFinite(ms)) return Math.min(Math.max(ms, 0), policy.maxDelayMs);
  }
  const backoff = policy.baseDelayMs * 2 ** (attempt - 1);
  return Math.min(backoff + Math.random() * policy.baseDelayMs * 0.25, policy.maxDelayMs);
}

/** Sleeps `ms`, ending early with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
