/**
 * A container's stdio on the host: FIFO pipes between Node and the container's
 * process, and the json-file log (`container.log`, the format Docker and
 * `ocikit-monitor` write) that attached output is teed into.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, openSync, unlinkSync, write, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { PassThrough, Writable, type Readable } from 'node:stream';
import { ReadStream } from 'node:tty';
import { mknod, S_IFIFO } from '../native/fs.js';

/** Name of the json-file log in the container directory. */
export const LOG_FILE = 'container.log';

/** Bytes kept in memory for an unread `stdout`/`stderr` stream; the log keeps everything. */
const STREAM_LIMIT = 8 * 1024 * 1024;

/** One pipe: `node` is Node's end, `container` the container's (close it once spawned). */
export interface HostPipe {
  node: number;
  container: number;
}

/** A FIFO in `dir`, unlinked once both ends are open. `input`: Node writes, the container reads. */
export function makePipe(dir: string, input = false): HostPipe {
  const path = join(dir, `.pipe-${randomBytes(6).toString('hex')}`);
  mknod(path, S_IFIFO | 0o600);
  try {
    if (!input) {
      const node = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      const container = openSync(path, constants.O_WRONLY);
      return { node, container };
    }
    const hold = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const node = openSync(path, constants.O_WRONLY);
      const container = openSync(path, constants.O_RDONLY);
      return { node, container };
    } finally {
      closeSync(hold);
    }
  } finally {
    unlinkSync(path);
  }
}

/** Node's reading end of a pipe as a stream (ends when every writer has closed). */
export function pipeReader(fd: number): Readable {
  return new Socket({ fd, readable: true, writable: false });
}

/** Node's writing end of a pipe as a stream. */
export function pipeWriter(fd: number): Writable {
  return new Socket({ fd, readable: false, writable: true });
}

/** The output side of a pty master; EIO (the slave side closed) is its end. */
export function ptyReader(fd: number): Readable {
  const s = new ReadStream(fd);
  const out = new PassThrough();
  s.on('data', (d: Buffer) => out.write(d));
  const end = (): void => {
    if (!out.writableEnded) out.end();
  };
  s.on('error', end);
  s.on('end', end);
  s.on('close', end);
  out.on('close', () => s.destroy());
  return out;
}

/** The input side of a pty master (writes retried while the tty is full). */
export function ptyWriter(fd: number): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, cb) {
      const attempt = (off: number): void => {
        write(fd, chunk, off, chunk.length - off, null, (err, n) => {
          if (err && err.code === 'EAGAIN') return void setTimeout(() => attempt(off), 5);
          if (err) return cb(err);
          if (off + n < chunk.length) return attempt(off + n);
          cb();
        });
      };
      attempt(0);
    },
  });
}

/** One json-file log line. */
export interface LogEntry {
  log: string;
  stream: 'stdout' | 'stderr';
  /** RFC 3339 with nanoseconds. */
  time: string;
}

function nanoTime(): string {
  return new Date().toISOString().replace('Z', '000000Z');
}

/** Appends output to a json-file log, one entry per line (a partial line at the end, as Docker). */
export class JsonLogWriter {
  readonly #fd: number;
  readonly #partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };

  constructor(path: string) {
    this.#fd = openSync(path, 'a', 0o600);
  }

  write(stream: 'stdout' | 'stderr', chunk: Buffer | string): void {
    const text = this.#partial[stream] + chunk.toString();
    const lines = text.split('\n');
    this.#partial[stream] = lines.pop() ?? '';
    for (const l of lines) this.#entry(stream, `${l}\n`);
  }

  #entry(stream: 'stdout' | 'stderr', log: string): void {
    const e: LogEntry = { log, stream, time: nanoTime() };
    writeSync(this.#fd, `${JSON.stringify(e)}\n`);
  }

  /** Writes the partial lines left and closes the file. */
  close(): void {
    for (const s of ['stdout', 'stderr'] as const) {
      if (this.#partial[s] !== '') this.#entry(s, this.#partial[s]);
      this.#partial[s] = '';
    }
    closeSync(this.#fd);
  }
}

/** A stream for the user that never holds more than {@link STREAM_LIMIT} unread bytes. */
export function userStream(): PassThrough {
  return new PassThrough();
}

/** Writes `chunk` to `s` unless it is destroyed or holds too much unread data. */
export function feed(s: PassThrough, chunk: Buffer): void {
  if (s.destroyed || s.writableEnded) return;
  if (s.readableLength > STREAM_LIMIT) return;
  s.write(chunk);
}
