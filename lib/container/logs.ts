/**
 * Reading a container's json-file log (`docker logs`).
 *
 * @module
 */
import { open } from 'node:fs/promises';
import { abortable, pause } from '../util/abortable.js';
import type { LogEntry } from './io.js';

/** Options of `container.logs()` (`docker logs` flags). */
export interface LogsOptions {
  /** Keep reading as the container writes, until it stops (`-f`). */
  follow?: boolean;
  /** Only entries at or after this time: a Date, or seconds since the epoch (`--since`). */
  since?: Date | number;
  /** Only entries before this time (`--until`). */
  until?: Date | number;
  /** Only the last `tail` lines (`-n`). */
  tail?: number;
  /** Prefix each line with its RFC 3339 time and a space (`-t`). */
  timestamps?: boolean;
  /** Include stdout (default true). */
  stdout?: boolean;
  /** Include stderr (default true). */
  stderr?: boolean;
  /**
   * Ends the reading, also while a follow waits for more: the iteration then rejects with an
   * `AbortError` (`ABORT_ERR`). A `break` (the iterator's `return()`) ends it quietly, at once too.
   */
  signal?: AbortSignal;
}

/** One line of a container's log with the stream it came from (see `container.logEntries()`). */
export interface LogLine {
  stream: 'stdout' | 'stderr';
  /** The line as `logs()` gives it (with its time first under `timestamps`). */
  text: string;
  /** RFC 3339 time (nanoseconds) it was written. */
  time: string;
}

function millis(t: Date | number): number {
  return t instanceof Date ? t.getTime() : t * 1000;
}

function accept(e: LogEntry, o: LogsOptions): boolean {
  if (e.stream === 'stdout' && o.stdout === false) return false;
  if (e.stream === 'stderr' && o.stderr === false) return false;
  const t = Date.parse(e.time);
  if (o.since !== undefined && t < millis(o.since)) return false;
  if (o.until !== undefined && t >= millis(o.until)) return false;
  return true;
}

function parse(line: string): LogEntry | undefined {
  try {
    const e = JSON.parse(line) as LogEntry;
    return typeof e.log === 'string' ? e : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The log entries of `path` as text lines; with `follow`, polls for more until
 * `running()` says the container stopped (and the rest is read), `o.signal` aborts
 * or the caller returns.
 */
export function readLog(path: string, o: LogsOptions, running: () => Promise<boolean>): AsyncIterableIterator<string> {
  return abortable(async function* texts(stop) {
    for await (const l of logLines(path, o, running, stop)) yield l.text;
  }, o.signal, 'reading the logs');
}

/** {@link readLog} with each line's stream and time. */
export function readLogLines(path: string, o: LogsOptions, running: () => Promise<boolean>): AsyncIterableIterator<LogLine> {
  return abortable((stop) => logLines(path, o, running, stop), o.signal, 'reading the logs');
}

async function* logLines(path: string, o: LogsOptions, running: () => Promise<boolean>, stop: AbortSignal): AsyncGenerator<LogLine> {
  let offset = 0;
  let rest = '';
  const format = (e: LogEntry): LogLine => ({ stream: e.stream === 'stderr' ? 'stderr' : 'stdout', text: o.timestamps ? `${e.time} ${e.log}` : e.log, time: e.time });
  const readMore = async (): Promise<LogEntry[]> => {
    let fh;
    try {
      fh = await open(path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    try {
      const chunks: Buffer[] = [];
      const buf = Buffer.alloc(256 * 1024);
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        chunks.push(Buffer.from(buf.subarray(0, bytesRead)));
      }
      const text = rest + Buffer.concat(chunks).toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      return lines.map(parse).filter((e): e is LogEntry => e !== undefined && accept(e, o));
    } finally {
      await fh.close();
    }
  };
  let first = await readMore();
  if (o.tail !== undefined && o.tail >= 0) first = o.tail === 0 ? [] : first.slice(-o.tail);
  for (const e of first) yield format(e);
  if (!o.follow) return;
  while (!stop.aborted) {
    const stillRunning = await running();
    for (const e of await readMore()) yield format(e);
    if (!stillRunning) return;
    await pause(100, stop);
  }
}
