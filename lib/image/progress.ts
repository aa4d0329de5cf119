/**
 * Progress events of pulls and pushes, one stream of events per layer.
 *
 * @module
 */

/** State of one blob in a pull or push. */
export type ProgressState = 'waiting' | 'downloading' | 'uploading' | 'verifying' | 'complete' | 'exists' | 'mounted';

/** One progress event. */
export interface ProgressEvent {
  /** Short id: the first 12 hex characters of the digest, as Docker shows it. */
  id: string;
  /** Full digest of the blob. */
  digest: string;
  state: ProgressState;
  /** Bytes done so far. */
  current: number;
  /** Size of the blob. */
  total: number;
}

/** A progress callback. */
export type ProgressListener = (event: ProgressEvent) => void;

/** Short id of a digest. */
export function shortId(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1, digest.indexOf(':') + 13);
}

/** Reports progress for one blob, throttling `downloading`/`uploading` events to one per 100 ms. */
export function blobReporter(listener: ProgressListener | undefined, digest: string, total: number): (state: ProgressState, current: number) => void {
  let last = 0;
  return (state: ProgressState, current: number): void => {
    if (listener === undefined) return;
    if (state === 'downloading' || state === 'uploading') {
      const now = Date.now();
      if (now - last < 100 && current < total) return;
      last = now;
    }
    listener({ id: shortId(digest), digest, state, current, total });
  };
}

/** Runs `fn` over `items` with at most `limit` running at once. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  let failed: unknown;
  const worker = async (): Promise<void> => {
    while (failed === undefined && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i] as T, i);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed;
  return out;
}
