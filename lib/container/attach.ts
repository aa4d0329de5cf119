/**
 * Attaching to a container's stdio for as long as the caller's signal allows.
 *
 * @module
 */
import { PassThrough, type Readable, type Writable } from 'node:stream';

/** Options of `container.attach()`. */
export interface AttachOptions {
  /** Detaches the returned streams: stdout and stderr end, stdin stops passing input. The container runs on. */
  signal?: AbortSignal;
}

/** Streams of the shape `attach()` returns. */
export interface StdioStreams {
  stdout: Readable;
  stderr: Readable;
  stdin: Writable | null;
}

/** Views of `s` of their own, detached from it when `signal` aborts (or at once if it has). */
export function attachedView(s: StdioStreams, signal: AbortSignal): StdioStreams {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = s.stdin !== null ? new PassThrough() : null;
  const unhooks: Array<() => void> = [];
  const hook = (from: Readable, to: Writable, ending: PassThrough): void => {
    from.pipe(to);
    unhooks.push(() => {
      from.unpipe(to);
      ending.end(); // our view ends; the container's stdin stays open
    });
  };
  hook(s.stdout, stdout, stdout);
  hook(s.stderr, stderr, stderr);
  if (stdin !== null && s.stdin !== null) hook(stdin, s.stdin, stdin);
  const detach = (): void => {
    signal.removeEventListener('abort', detach);
    for (const u of unhooks.splice(0)) u();
  };
  if (signal.aborted) detach();
  else signal.addEventListener('abort', detach, { once: true });
  // the container's end ends the views; nothing then waits on the signal
  s.stdout.once('end', () => signal.removeEventListener('abort', detach));
  return { stdout, stderr, stdin };
}
