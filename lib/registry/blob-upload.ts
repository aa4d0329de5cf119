/**
 * Blob uploads: existence check, cross-repository mount with fallback,
 * monolithic POST+PUT, and chunked PATCH for large blobs.
 *
 * @module
 */
import { DigestMismatchError, RegistryError } from '../errors.js';
import { logger } from '../log.js';
import type { BlobSource } from './blob-source.js';
import { errorFromResponse } from './error-body.js';
import { drain, type Transport } from './transport.js';

const log = logger('registry');

/** How a blob reached the registry. */
export type UploadResult = 'exists' | 'mounted' | 'uploaded';

/** Options of one upload. */
export interface UploadOptions {
  /** Repositories on the same registry that hold the blob, tried for a mount. */
  mountFrom?: string[];
  chunkThreshold: number;
  chunkSize: number;
  signal?: AbortSignal;
  /** Called with bytes sent so far. */
  onProgress?: (sent: number) => void;
}

function withQuery(location: string, base: string, params: Record<string, string>): string {
  const url = new URL(location, base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.href;
}

/** Uploads `source` as blob `digest` of `repo`, unless it is already there. */
export async function uploadBlob(t: Transport, repo: string, digest: string, source: BlobSource, opts: UploadOptions): Promise<UploadResult> {
  const pushScope = [`repository:${repo}:pull,push`];
  const head = await t.send({ method: 'HEAD', url: `/v2/${repo}/blobs/${digest}`, scope: pushScope, signal: opts.signal });
  drain(head);
  if (head.ok) return 'exists';
  let location: string | undefined;
  for (const from of opts.mountFrom ?? []) {
    if (from === repo) continue;
    const scope = [...pushScope, `repository:${from}:pull`];
    const url = `/v2/${repo}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
    const res = await t.send({ method: 'POST', url, scope, signal: opts.signal, headers: { 'Content-Length': '0' } });
    drain(res);
    if (res.status === 201) {
      log('mounted %s into %s from %s', digest, repo, from);
      return 'mounted';
    }
    if (res.status === 202 && res.headers.get('location') !== null) {
      location = new URL(res.headers.get('location') ?? '', t.origin).href;
      break;
    }
  }
  if (location === undefined) {
    const res = await t.send({ method: 'POST', url: `/v2/${repo}/blobs/uploads/`, scope: pushScope, signal: opts.signal, headers: { 'Content-Length': '0' } });
    if (res.status !== 202) throw await errorFromResponse(res, `start upload of ${digest} to ${repo}`);
    drain(res);
    const loc = res.headers.get('location');
    if (loc === null) throw new RegistryError('ERR_REGISTRY_HTTP', 'upload session without a Location', { url: res.url });
    location = new URL(loc, t.origin).href;
  }
  let final: string;
  if (source.size <= opts.chunkThreshold) {
    final = withQuery(location, t.origin, { digest });
    const res = await t.send({
      method: 'PUT',
      url: final,
      scope: pushScope,
      signal: opts.signal,
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(source.size) },
      body: () => source.open(0, source.size),
    });
    await expectCreated(res, digest, repo);
    opts.onProgress?.(source.size);
    return 'uploaded';
  }
  for (let start = 0; start < source.size; start += opts.chunkSize) {
    const end = Math.min(start + opts.chunkSize, source.size);
    const res = await t.send({
      method: 'PATCH',
      url: location,
      scope: pushScope,
      signal: opts.signal,
      headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': String(end - start), 'Content-Range': `${start}-${end - 1}` },
      body: () => source.open(start, end),
    });
    if (res.status !== 202) throw await errorFromResponse(res, `upload chunk ${start}-${end - 1} of ${digest}`);
    drain(res);
    location = new URL(res.headers.get('location') ?? location, t.origin).href;
    opts.onProgress?.(end);
  }
  final = withQuery(location, t.origin, { digest });
  const res = await t.send({ method: 'PUT', url: final, scope: pushScope, signal: opts.signal, headers: { 'Content-Length': '0' } });
  await expectCreated(res, digest, repo);
  return 'uploaded';
}

async function expectCreated(res: import('node-fetch').Response, digest: string, repo: string): Promise<void> {
  if (res.status !== 201) throw await errorFromResponse(res, `upload of ${digest} to ${repo}`);
  drain(res);
  const dcd = res.headers.get('docker-content-digest');
  if (dcd !== null && dcd !== '' && dcd !== digest) throw new DigestMismatchError(digest, dcd, 'uploaded blob');
}
