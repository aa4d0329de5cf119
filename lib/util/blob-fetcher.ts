/**
 * Downloading a blob on a worker thread: the worker sends the GET itself
 * (registry origin only, with the Authorization the main thread hands over),
 * parses HTTP, writes the body into the caller's temp file, hashes the same
 * bytes, resumes with `Range` after a cut connection, and fsyncs. The event
 * loop only verifies the reported digest and size and renames. Anything but a
 * plain 200 on the first request (a redirect, 401, 429/5xx) is handed back
 * before a byte is written, and the caller takes the ordinary path.
 *
 * @module
 */
import { Worker } from 'node:worker_threads';
import { logger } from '../log.js';
import { workerExecArgv } from './worker-args.js';

const log = logger('registry');

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const http = require('node:http');
const https = require('node:https');
const { createHash } = require('node:crypto');
const { writevSync, fsyncSync } = require('node:fs');
const agents = new Map();
const jobs = new Map();
const BATCH = 1 << 20;
function agentFor(proto, ca) {
  const key = proto + (ca === undefined ? '' : ':ca');
  let a = agents.get(key);
  if (a === undefined) {
    a = proto === 'https:' ? new https.Agent({ keepAlive: true, maxSockets: 16, ...(ca !== undefined ? { ca } : {}) }) : new http.Agent({ keepAlive: true, maxSockets: 16 });
    agents.set(key, a);
  }
  return a;
}
function writeAll(fd, bufs) {
  let i = 0;
  while (i < bufs.length) {
    const n = writevSync(fd, bufs.slice(i));
    let left = n;
    while (i < bufs.length && left >= bufs[i].length) { left -= bufs[i].length; i++; }
    if (i < bufs.length && left > 0) bufs[i] = bufs[i].subarray(left);
  }
}
function finish(j, msg) {
  if (j.done) return;
  j.done = true;
  jobs.delete(j.id);
  if (j.req) j.req.destroy();
  parentPort.postMessage({ id: j.id, ...msg });
}
function start(j) {
  if (j.done) return;
  const headers = { ...j.headers };
  if (j.offset > 0) headers['Range'] = 'bytes=' + j.offset + '-';
  const u = new URL(j.url);
  const mod = u.protocol === 'https:' ? https : http;
  const req = mod.get(u, { headers, agent: agentFor(u.protocol, j.ca) });
  j.req = req;
  let skip = 0;
  let failed = false;
  const cut = (err) => {
    if (failed || j.done) return;
    failed = true;
    req.destroy();
    try { flush(j); } catch (e) { return finish(j, { error: String(e && e.message || e), code: 'ERR_STORE_WRITE', errno: e && e.code }); }
    if (j.resumes >= j.maxResumes) return finish(j, { error: 'blob ' + j.digest + ' download failed at byte ' + j.offset + ': ' + err.message, code: 'ERR_NETWORK' });
    if (j.offset === 0 && !j.started) return finish(j, { fallback: true, reason: err.message });
    j.resumes++;
    setTimeout(() => start(j), 20 * (j.resumes - 1));
  };
  req.on('error', cut);
  req.on('response', (res) => {
    if (j.done) return res.resume();
    const first = j.offset === 0 && !j.started;
    if (res.statusCode === 206 && !first) {
      const m = /^bytes (\\d+)-\\d+\\/(?:\\d+|\\*)$/.exec(String(res.headers['content-range'] || '').trim());
      if (!m || Number(m[1]) !== j.offset) { res.resume(); return finish(j, { error: 'resume asked for byte ' + j.offset + ', got range starting at ' + (m ? m[1] : 'undefined'), code: 'ERR_RANGE_INVALID' }); }
    } else if (res.statusCode === 200) {
      skip = j.offset;
    } else {
      res.resume();
      if (first) return finish(j, { fallback: true, reason: 'status ' + res.statusCode });
      // A failed resume request counts as one more cut (capped by maxResumes).
      return cut(new Error('HTTP ' + res.statusCode + ' on resume'));
    }
    const dcd = res.headers['docker-content-digest'];
    if (dcd !== undefined && dcd !== '' && dcd !== j.digest) { res.resume(); return finish(j, { mismatch: true, expected: j.digest, actual: dcd, what: 'blob (Docker-Content-Digest)' }); }
    if (first && res.headers['content-length'] !== undefined && j.size !== undefined && Number(res.headers['content-length']) !== j.size) {
      res.resume();
      return finish(j, { mismatch: true, expected: j.size + ' bytes', actual: res.headers['content-length'] + ' bytes', what: 'blob size' });
    }
    j.started = true;
    res.on('data', (chunk) => {
      if (j.done) return;
      let c = chunk;
      if (skip > 0) { const n = Math.min(skip, c.length); skip -= n; c = c.subarray(n); if (c.length === 0) return; }
      if (j.size !== undefined && j.offset + c.length > j.size) return finish(j, { mismatch: true, expected: j.size + ' bytes', actual: 'more than ' + j.size + ' bytes', what: 'blob size' });
      j.hash.update(c);
      j.offset += c.length;
      j.pending.push(c);
      j.pendingBytes += c.length;
      if (j.pendingBytes >= BATCH) {
        try { flush(j); } catch (e) { return finish(j, { error: String(e && e.message || e), code: 'ERR_STORE_WRITE', errno: e && e.code }); }
        parentPort.postMessage({ id: j.id, progress: j.offset });
      }
    });
    res.on('error', cut);
    res.on('aborted', () => cut(new Error('connection cut')));
    res.on('end', () => {
      if (j.done || failed) return;
      if (j.size !== undefined && j.offset < j.size) return cut(new Error('response ended after ' + j.offset + ' of ' + j.size + ' bytes'));
      try { flush(j); fsyncSync(j.fd); } catch (e) { return finish(j, { error: String(e && e.message || e), code: 'ERR_STORE_WRITE', errno: e && e.code }); }
      finish(j, { digest: j.hash.digest('hex'), size: j.offset });
    });
  });
}
function flush(j) {
  if (j.pending.length === 0) return;
  const bufs = j.pending;
  j.pending = [];
  j.pendingBytes = 0;
  writeAll(j.fd, bufs);
}
parentPort.on('message', (m) => {
  if (m.op === 'abort') {
    const j = jobs.get(m.id);
    if (j !== undefined) finish(j, { aborted: true });
    return;
  }
  const j = { ...m, offset: 0, resumes: 0, started: false, done: false, pending: [], pendingBytes: 0, hash: createHash(m.algorithm) };
  jobs.set(m.id, j);
  start(j);
});
`;

/** What the worker reports at the end of a fetch. */
export interface FetchReply {
  id: number;
  progress?: number;
  digest?: string;
  size?: number;
  fallback?: boolean;
  reason?: string;
  error?: string;
  code?: string;
  /** The errno name (`ENOSPC`…) of a failed write (`code` `ERR_STORE_WRITE`). */
  errno?: string;
  mismatch?: boolean;
  expected?: string;
  actual?: string;
  what?: string;
  aborted?: boolean;
}

/** One fetch for the worker. */
export interface FetchJob {
  url: string;
  headers: Record<string, string>;
  ca?: string | Buffer | (string | Buffer)[];
  fd: number;
  digest: string;
  algorithm: string;
  size?: number;
  maxResumes: number;
}

/** Fetch workers: two, so that two layers download on two cores. */
const POOL = Number(process.env['OCIKIT_FETCH_WORKERS'] ?? 2);

interface Slot {
  w: Worker;
  /** Bytes of the fetches it has in hand. */
  load: number;
  jobs: Set<number>;
}

let pool: Slot[] | null | undefined;
let nextId = 1;
const waiting = new Map<number, { resolve: (r: FetchReply) => void; reject: (e: Error) => void; progress?: (n: number) => void; slot: Slot; bytes: number }>();

function refresh(s: Slot): void {
  if (s.jobs.size === 0) s.w.unref();
  else s.w.ref();
}

function broken(s: Slot, err: Error): void {
  log('fetch worker failed (%s)', err.message);
  pool = null;
  for (const id of s.jobs) {
    waiting.get(id)?.reject(err);
    waiting.delete(id);
  }
  s.jobs.clear();
}

function spawn(): Slot {
  const w = new Worker(WORKER_SOURCE, { eval: true, execArgv: workerExecArgv() });
  const slot: Slot = { w, load: 0, jobs: new Set() };
  w.on('message', (r: FetchReply) => {
    const p = waiting.get(r.id);
    if (r.progress !== undefined) {
      p?.progress?.(r.progress);
      return;
    }
    waiting.delete(r.id);
    slot.jobs.delete(r.id);
    if (p !== undefined) slot.load -= p.bytes;
    refresh(slot);
    p?.resolve(r);
  });
  w.on('error', (err) => broken(slot, err));
  w.on('exit', (code) => broken(slot, new Error(`fetch worker exited (${code})`)));
  // After the listeners: adding a 'message' listener refs the worker's port again, and an
  // idle worker must never keep the process alive.
  w.unref();
  return slot;
}

function getPool(): Slot[] | null {
  if (pool !== undefined) return pool;
  if (process.env['OCIKIT_NO_FETCH_WORKER'] === '1' || !(POOL >= 1)) return (pool = null);
  try {
    pool = Array.from({ length: POOL }, spawn);
  } catch (err) {
    log('no fetch worker: %s', (err as Error).message);
    pool = null;
  }
  return pool;
}

/** Whether a worker can fetch blobs here. */
export function fetchWorkerAvailable(): boolean {
  return getPool() !== null;
}

/**
 * Has the worker download `job` into `job.fd` (written from offset 0, fsynced).
 * Resolves with the worker's final reply; aborting `signal` stops the worker's
 * use of the fd before it resolves.
 */
export function fetchOnWorker(job: FetchJob, onProgress: (n: number) => void, signal?: AbortSignal): Promise<FetchReply> {
  const p = getPool();
  if (p === null) return Promise.resolve({ id: 0, fallback: true, reason: 'no worker' });
  const slot = p.reduce((a, b) => (b.load < a.load ? b : a));
  const w = slot.w;
  const id = nextId++;
  const bytes = job.size ?? 0;
  return new Promise<FetchReply>((resolve, reject) => {
    const onAbort = (): void => w.postMessage({ op: 'abort', id });
    const done = (r: FetchReply): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve(r);
    };
    waiting.set(id, { resolve: done, reject, progress: onProgress, slot, bytes });
    slot.jobs.add(id);
    slot.load += bytes;
    refresh(slot);
    w.postMessage({ op: 'fetch', id, ...job });
    if (signal?.aborted === true) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}
