/**
 * The stream `copyFrom` hands out while the container is frozen for it: the freeze is released
 * when the stream ends, errors or is destroyed, and, so that an unread stream cannot keep the
 * container frozen for as long as its process lives, when nobody reads it for a while (the stream
 * then fails with `ERR_COPY_TIMEOUT`). If the process dies first, the next observation of the
 * container thaws it (freeze.ts).
 *
 * @module
 */
import { Transform, type Readable } from 'node:stream';
import { ContainerError } from '../errors.js';

/** Default of {@link CopyFromOptions.idleTimeoutMs}: 30 s without a read. */
export const COPY_IDLE_TIMEOUT_MS = 30_000;

/** `tar` piped through a stream that calls `release` (once) when it is done in any way, or idle for `idleMs`. */
export function thawingStream(tar: Readable, release: () => Promise<void>, idleMs: number): Readable {
  let released: Promise<void> | undefined;
  const releaseOnce = (): Promise<void> => (released ??= release().catch(() => undefined));
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      out.destroy(new ContainerError('ERR_COPY_TIMEOUT', `copy stream not read for ${idleMs} ms: the container is thawed and the copy abandoned`));
    }, idleMs);
    timer.unref(); // a process that exits leaves its freeze to the next observer
  };
  const out = new Transform({
    highWaterMark: 1 << 20,
    transform: (chunk: Buffer, _enc, cb) => {
      arm(); // the reader made room for more: it is alive
      cb(null, chunk);
    },
    // the stream ends only once the container runs again
    flush: (cb) => {
      clearTimeout(timer);
      void releaseOnce().then(() => cb());
    },
  });
  out.once('close', () => {
    clearTimeout(timer);
    tar.destroy();
    void releaseOnce();
  });
  tar.on('error', (err) => out.destroy(err));
  arm();
  return tar.pipe(out);
}
