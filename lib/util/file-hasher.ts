/**
 * Hashing a file as it is written, on a worker thread: the writer says how far
 * the file is written, and the worker reads that much back from the page cache
 * (pread on the writer's own fd, so the same inode) and hashes it. The event
 * loop, which also parses HTTP and moves the streams, keeps none of the sha256
 * work: a pull of a 135 MB image spent ~100 ms of its main thread in it
 * otherwise. It also hashes what reached the file, not what was meant to.
 *
 * @module
 */
import { Worker } from 'node:worker_threads';
import { logger } from '../log.js';
import { workerExecArgv } from './worker-args.js';

const log = logger('store');

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { readSync } = require('node:fs');
const jobs = new Map();
const buf = Buffer.allocUnsafe(1 << 20);
function job(m) {
  let j = jobs.get(m.id);
  if (j === undefined) { j = { hash: createHash(m.algorithm), pos: 0, failed: undefined }; jobs.set(m.id, j); }
  return j;
}
parentPort.on('message', (m) => {
  if (m.op === 'abort') { jobs.delete(m.id); parentPort.postMessage({ id: m.id }); return; }
  const j = job(m);
  if (j.failed === undefined) {
    try {
      while (j.pos < m.end) {
        const n = readSync(m.fd, buf, 0, Math.min(buf.length, m.end - j.pos), j.pos);
        if (n === 0) throw new Error('file ends at byte ' + j.pos + ' of ' + m.end);
        j.hash.update(buf.subarray(0, n));
        j.pos += n;
      }
    } catch (e) { j.failed = String((e && e.message) || e); }
  }
  if (m.op === 'final') {
    jobs.delete(m.id);
    parentPort.postMessage(j.failed !== undefined ? { id: m.id, error: j.failed } : { id: m.id, digest: j.hash.digest('hex') });
  }
});
`;

interface Reply {
  id: number;
  digest?: string;
  error?: string;
}

/** Bytes written by the caller between two notes to the worker. */
const STEP = 1 << 20;

let worker: Worker | null | undefined;
let nextId = 1;
const waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();

/** Keeps the process alive while anyone waits for the worker. */
function refresh(w: Worker): void {
  if (waiting.size === 0) w.unref();
  else w.ref();
}

function broken(err: Error): void {
  log('hash worker failed (%s); hashing on the main thread', err.message);
  worker = null;
  for (const w of waiting.values()) w.reject(err);
  waiting.clear();
}

function getWorker(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    const w = new Worker(WORKER_SOURCE, { eval: true, execArgv: workerExecArgv() });
    w.on('message', (r: Reply) => {
      const p = waiting.get(r.id);
      waiting.delete(r.id);
      refresh(w);
      p?.resolve(r);
    });
    w.on('error', (err) => broken(err));
    w.on('exit', (code) => {
      if (worker === w) broken(new Error(`hash worker exited (${code})`));
    });
    w.unref(); // after the listeners, which ref the port again: an idle worker never keeps the process alive
    worker = w;
  } catch (err) {
    log('no hash worker: %s', (err as Error).message);
    worker = null;
  }
  return worker;
}

function ask(w: Worker, msg: Record<string, unknown>, id: number): Promise<Reply> {
  return new Promise<Reply>((resolve, reject) => {
    if (worker !== w) return reject(new Error('the hash worker is gone'));
    waiting.set(id, { resolve, reject });
    refresh(w);
    w.postMessage(msg);
  });
}

/** Hashes the file behind `fd` (opened for reading) up to where it was written. */
export class FileHasher {
  readonly #w: Worker;
  readonly #fd: number;
  readonly #algorithm: string;
  readonly #id = nextId++;
  #noted = 0;

  private constructor(w: Worker, fd: number, algorithm: string) {
    this.#w = w;
    this.#fd = fd;
    this.#algorithm = algorithm;
  }

  /** A hasher for `fd`, or `undefined` when no worker thread can run here. */
  static open(fd: number, algorithm: string): FileHasher | undefined {
    const w = getWorker();
    return w === null ? undefined : new FileHasher(w, fd, algorithm);
  }

  /** The first `end` bytes of the file are written (by the caller, and stay as they are): hash them. */
  written(end: number): void {
    if (end - this.#noted < STEP) return;
    this.#noted = end;
    this.#w.postMessage({ op: 'more', id: this.#id, fd: this.#fd, end, algorithm: this.#algorithm });
  }

  /** Hex digest of the first `end` bytes. */
  async digest(end: number): Promise<string> {
    const r = await ask(this.#w, { op: 'final', id: this.#id, fd: this.#fd, end, algorithm: this.#algorithm }, this.#id);
    if (r.error !== undefined || r.digest === undefined) throw new Error(`cannot hash the written file: ${r.error ?? 'no digest'}`);
    return r.digest;
  }

  /** Stops; resolves once the worker no longer uses the fd (so it may be closed). */
  async abort(): Promise<void> {
    try {
      await ask(this.#w, { op: 'abort', id: this.#id }, this.#id);
    } catch {
      // the worker is gone: it uses nothing any more
    }
  }
}

