/**
 * The registry client: the OCI distribution API v2.
 *
 * @module
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RegistryError } from '../errors.js';
import { parseDigest, VerifyingStream, type Digest } from '../oci/digest.js';
import type { Descriptor, ImageIndex } from '../oci/image-types.js';
import { MediaType } from '../oci/media-types.js';
import { parseReference, type Reference } from '../reference/index.js';
import { findCredentials, removeCredentials, saveCredentials } from './auth/credential-store.js';
import { ResumableBlobStream } from './blob-reader.js';
import { bufferSource, type BlobSource } from './blob-source.js';
import { uploadBlob, type UploadResult } from './blob-upload.js';
import { errorFromResponse } from './error-body.js';
import { checkManifest, MAX_MANIFEST_BYTES, type FetchedManifest } from './manifest-check.js';
import { checkRepository, checkTagOrDigest, isDigestRef } from './names.js';
import { registryApiHost, type RegistryCredentials, type RegistryOptions } from './options.js';
import { nextLink } from './paging.js';
import { fetchReferrers } from './referrers.js';
import { searchRegistry, type SearchOptions, type SearchResult } from './search.js';
import { drain, Transport } from './transport.js';

/** Media types a manifest GET accepts, best first. */
export const MANIFEST_ACCEPT = [MediaType.OciIndex, MediaType.OciManifest, MediaType.DockerManifestList, MediaType.DockerManifest].join(', ');

/** Options of one page of a listing. */
export interface ListOptions {
  /** Page size (`n`). */
  n?: number;
  /** Start after this entry (`last`). */
  last?: string;
  /** Follow `Link` headers to the end (default `true`); `false` returns one page. */
  all?: boolean;
  signal?: AbortSignal;
}

/** Options of a blob download. */
export interface BlobReadOptions {
  /** Expected size; a blob of another size is refused. */
  size?: number;
  signal?: AbortSignal;
}

/**
 * A client of one registry (the distribution API v2).
 *
 * ```ts
 * const reg = new Registry('127.0.0.1:5000');
 * await reg.listTags('busybox');
 * ```
 */
export class Registry {
  /** The domain as references spell it (`docker.io`, `127.0.0.1:5000`). */
  readonly domain: string;
  /** `host[:port]` that serves the API (`registry-1.docker.io` for Docker Hub). */
  readonly host: string;
  /** @internal */
  readonly transport: Transport;
  readonly #opts: RegistryOptions;
  #creds: Promise<RegistryCredentials | undefined> | undefined;

  /** A client of `domain` (`host[:port]`; `docker.io` maps to Docker Hub's API host). */
  constructor(domain: string, opts: RegistryOptions = {}) {
    this.domain = domain.toLowerCase();
    this.host = registryApiHost(this.domain);
    this.#opts = opts;
    this.transport = new Transport(this.host, opts, () => this.#credentials());
  }

  /** A client of the registry a reference names (`ref.domain`). */
  static forReference(ref: Reference | string, opts: RegistryOptions = {}): Registry {
    return new Registry((typeof ref === 'string' ? parseReference(ref) : ref).domain, opts);
  }

  #credentials(): Promise<RegistryCredentials | undefined> {
    if (this.#opts.credentials !== undefined) return Promise.resolve(this.#opts.credentials);
    if (this.#opts.anonymous === true) return Promise.resolve(undefined);
    this.#creds ??= findCredentials(this.domain, this.#opts);
    return this.#creds;
  }

  /** Checks that the registry speaks API v2 (`GET /v2/`), authenticating if asked to. */
  async ping(signal?: AbortSignal): Promise<void> {
    const res = await this.transport.send({ method: 'GET', url: '/v2/', signal });
    if (!res.ok) throw await errorFromResponse(res, `ping ${this.host}`);
    drain(res);
  }

  /** Fetches and checks a manifest or index by tag or digest. */
  async getManifest(repo: string, reference: string, signal?: AbortSignal): Promise<FetchedManifest> {
    checkRepository(repo);
    checkTagOrDigest(reference);
    const url = `/v2/${repo}/manifests/${reference}`;
    const res = await this.transport.send({ method: 'GET', url, headers: { Accept: MANIFEST_ACCEPT }, scope: [`repository:${repo}:pull`], signal });
    if (!res.ok) throw await errorFromResponse(res, `manifest ${repo}:${reference}`);
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > MAX_MANIFEST_BYTES) {
      drain(res);
      throw new RegistryError('ERR_MANIFEST_TOO_LARGE', `manifest of ${declared} bytes exceeds ${MAX_MANIFEST_BYTES}`, { url: res.url });
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of res.body as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > MAX_MANIFEST_BYTES) {
        (res.body as Readable).destroy();
        throw new RegistryError('ERR_MANIFEST_TOO_LARGE', `manifest exceeds ${MAX_MANIFEST_BYTES} bytes`, { url: res.url });
      }
      chunks.push(chunk);
    }
    const expected = isDigestRef(reference) ? reference : undefined;
    return checkManifest(Buffer.concat(chunks), res.headers.get('content-type'), expected, res.headers.get('docker-content-digest'), res.url);
  }

  /** The descriptor of a manifest (HEAD), or `undefined` when there is none. */
  async headManifest(repo: string, reference: string, signal?: AbortSignal): Promise<Descriptor | undefined> {
    checkRepository(repo);
    checkTagOrDigest(reference);
    const url = `/v2/${repo}/manifests/${reference}`;
    const res = await this.transport.send({ method: 'HEAD', url, headers: { Accept: MANIFEST_ACCEPT }, scope: [`repository:${repo}:pull`], signal });
    drain(res);
    if (res.status === 404) return undefined;
    if (!res.ok) throw await errorFromResponse(res, `manifest ${repo}:${reference}`);
    const digest = res.headers.get('docker-content-digest') ?? (isDigestRef(reference) ? reference : undefined);
    if (digest === undefined) throw new RegistryError('ERR_REGISTRY_HTTP', 'HEAD manifest without Docker-Content-Digest', { url: res.url });
    parseDigest(digest);
    if (isDigestRef(reference) && digest !== reference) throw new RegistryError('ERR_DIGEST_MISMATCH', `HEAD ${reference} answered ${digest}`);
    const mediaType = (res.headers.get('content-type') ?? MediaType.OciManifest).split(';')[0]?.trim() ?? MediaType.OciManifest;
    return { mediaType, digest: digest as Digest, size: Number(res.headers.get('content-length') ?? '0') };
  }

  /** Uploads a manifest under a tag or its digest; resolves with its digest. */
  async putManifest(repo: string, reference: string, bytes: Buffer, mediaType: string, signal?: AbortSignal): Promise<Digest> {
    checkRepository(repo);
    checkTagOrDigest(reference);
    const { digest } = checkManifest(bytes, mediaType, isDigestRef(reference) ? reference : undefined, null, reference);
    const res = await this.transport.send({
      method: 'PUT',
      url: `/v2/${repo}/manifests/${reference}`,
      headers: { 'Content-Type': mediaType },
      body: bytes,
      scope: [`repository:${repo}:pull,push`],
      signal,
    });
    if (res.status !== 201 && res.status !== 200) throw await errorFromResponse(res, `put manifest ${repo}:${reference}`);
    drain(res);
    const dcd = res.headers.get('docker-content-digest');
    if (dcd !== null && dcd !== digest) throw new RegistryError('ERR_DIGEST_MISMATCH', `registry stored manifest as ${dcd}, expected ${digest}`);
    return digest;
  }

  /** Deletes a manifest by digest (the registry must allow deletes). */
  async deleteManifest(repo: string, digest: string, signal?: AbortSignal): Promise<void> {
    checkRepository(repo);
    parseDigest(digest);
    const res = await this.transport.send({ method: 'DELETE', url: `/v2/${repo}/manifests/${digest}`, scope: [`repository:${repo}:delete`], signal });
    if (res.status !== 202 && res.status !== 200) throw await errorFromResponse(res, `delete manifest ${repo}@${digest}`);
    drain(res);
  }

  /** Size of a blob (HEAD), or `undefined` when the repository does not hold it. */
  async headBlob(repo: string, digest: string, signal?: AbortSignal): Promise<Descriptor | undefined> {
    checkRepository(repo);
    parseDigest(digest);
    const res = await this.transport.send({ method: 'HEAD', url: `/v2/${repo}/blobs/${digest}`, scope: [`repository:${repo}:pull`], signal });
    drain(res);
    if (res.status === 404) return undefined;
    if (!res.ok) throw await errorFromResponse(res, `blob ${digest}`);
    const dcd = res.headers.get('docker-content-digest');
    if (dcd !== null && dcd !== digest) throw new RegistryError('ERR_DIGEST_MISMATCH', `HEAD ${digest} answered ${dcd}`);
    return { mediaType: 'application/octet-stream', digest: digest as Digest, size: Number(res.headers.get('content-length') ?? '0') };
  }

  /**
   * A blob as a stream that resumes after cut connections. Bytes are not verified:
   * pipe them through a {@link VerifyingStream} (as {@link Registry.blob} does).
   *
   * @internal
   */
  openBlob(repo: string, digest: string, opts: BlobReadOptions = {}): ResumableBlobStream {
    checkRepository(repo);
    parseDigest(digest);
    const url = `/v2/${repo}/blobs/${digest}`;
    const scope = [`repository:${repo}:pull`];
    return new ResumableBlobStream(
      (offset) => this.transport.send({ method: 'GET', url, scope, signal: opts.signal, headers: offset > 0 ? { Range: `bytes=${offset}-` } : {} }),
      { digest, size: opts.size, maxResumes: this.#opts.maxResumes ?? 5, signal: opts.signal },
    );
  }

  /** A blob as a stream that errors with `DigestMismatchError` at its end unless its digest (and size) match. */
  blob(repo: string, digest: string, opts: BlobReadOptions = {}): Readable {
    const verify = new VerifyingStream(digest, opts.size);
    const source = this.openBlob(repo, digest, opts);
    source.on('error', (err) => verify.destroy(err));
    return source.pipe(verify);
  }

  /** A small blob (a config) read whole and verified. */
  async blobBytes(repo: string, digest: string, opts: BlobReadOptions & { maxBytes?: number } = {}): Promise<Buffer> {
    const max = opts.maxBytes ?? 64 * 1024 * 1024;
    if (opts.size !== undefined && opts.size > max) throw new RegistryError('ERR_BLOB_TOO_LARGE', `blob of ${opts.size} bytes exceeds ${max}`);
    const chunks: Buffer[] = [];
    let total = 0;
    await pipeline(this.blob(repo, digest, opts), async (src: AsyncIterable<Buffer>) => {
      for await (const c of src) {
        total += c.length;
        if (total > max) throw new RegistryError('ERR_BLOB_TOO_LARGE', `blob exceeds ${max} bytes`);
        chunks.push(c);
      }
    });
    return Buffer.concat(chunks);
  }

  /** Deletes a blob (the registry must allow deletes). */
  async deleteBlob(repo: string, digest: string, signal?: AbortSignal): Promise<void> {
    checkRepository(repo);
    parseDigest(digest);
    const res = await this.transport.send({ method: 'DELETE', url: `/v2/${repo}/blobs/${digest}`, scope: [`repository:${repo}:delete`], signal });
    if (res.status !== 202 && res.status !== 200) throw await errorFromResponse(res, `delete blob ${digest}`);
    drain(res);
  }

  /**
   * Uploads a blob unless the repository has it; tries a cross-repository mount
   * from `mountFrom` first, and uses chunked PATCH above `chunkThreshold`.
   */
  async uploadBlob(
    repo: string,
    digest: string,
    data: BlobSource | Uint8Array,
    opts: { mountFrom?: string[]; signal?: AbortSignal; onProgress?: (sent: number) => void } = {},
  ): Promise<UploadResult> {
    checkRepository(repo);
    parseDigest(digest);
    for (const from of opts.mountFrom ?? []) checkRepository(from);
    const source = data instanceof Uint8Array ? bufferSource(data) : data;
    return uploadBlob(this.transport, repo, digest, source, {
      ...opts,
      chunkThreshold: this.#opts.chunkThreshold ?? 64 * 1024 * 1024,
      chunkSize: this.#opts.chunkSize ?? 16 * 1024 * 1024,
    });
  }

  async #list<K extends 'tags' | 'repositories'>(path: string, key: K, scope: string[], opts: ListOptions): Promise<string[]> {
    const params = new URLSearchParams();
    if (opts.n !== undefined) params.set('n', String(opts.n));
    if (opts.last !== undefined) params.set('last', opts.last);
    let url: string | undefined = params.size > 0 ? `${path}?${params}` : path;
    const out: string[] = [];
    for (let pages = 0; url !== undefined && pages < 10_000; pages++) {
      const res = await this.transport.send({ method: 'GET', url, scope, signal: opts.signal, headers: { Accept: 'application/json' } });
      if (!res.ok) throw await errorFromResponse(res, `list ${path}`);
      const body = (await res.json()) as Record<string, unknown>;
      const items = body[key];
      if (items !== null && items !== undefined && !Array.isArray(items)) throw new RegistryError('ERR_REGISTRY_HTTP', `${path}: bad ${key} list`);
      out.push(...((items as unknown[] | null) ?? []).filter((s): s is string => typeof s === 'string'));
      const next = nextLink(res.headers.get('link'));
      if (opts.all === false || next === undefined) break;
      const nextUrl = new URL(next, res.url);
      if (nextUrl.origin !== this.transport.origin) throw new RegistryError('ERR_UNSAFE_REDIRECT', `Link to foreign host ${nextUrl.origin}`);
      url = nextUrl.href;
    }
    return out;
  }

  /** Tags of a repository, following `Link` paging unless `all: false`. */
  listTags(repo: string, opts: ListOptions = {}): Promise<string[]> {
    checkRepository(repo);
    return this.#list(`/v2/${repo}/tags/list`, 'tags', [`repository:${repo}:pull`], opts);
  }

  /** Repositories of the registry (`/v2/_catalog`), following `Link` paging unless `all: false`. */
  catalog(opts: ListOptions = {}): Promise<string[]> {
    return this.#list('/v2/_catalog', 'repositories', ['registry:catalog:*'], opts);
  }

  /**
   * Manifests that refer to `digest` (the referrers API, falling back to the
   * `sha256-<hex>` tag schema), optionally only those of `artifactType`.
   */
  referrers(repo: string, digest: string, opts: { artifactType?: string; signal?: AbortSignal } = {}): Promise<ImageIndex> {
    return fetchReferrers(this, repo, digest, opts);
  }

  /** Searches images: Docker Hub's search API for docker.io, catalog filtering elsewhere. */
  search(term: string, opts: SearchOptions = {}): Promise<SearchResult[]> {
    return searchRegistry(this, term, { hubSearchUrl: this.#opts.hubSearchUrl, ...opts });
  }

  /**
   * Verifies credentials against the registry, then stores them like
   * `docker login` (config.json, or its credential helper).
   */
  async login(credentials: RegistryCredentials): Promise<void> {
    const probe = new Registry(this.domain, { ...this.#opts, credentials, anonymous: false });
    try {
      const res = await probe.transport.send({ method: 'GET', url: '/v2/', scope: [] });
      drain(res);
      if (res.status === 401 || res.status === 403) {
        throw new RegistryError('ERR_UNAUTHORIZED', `login to ${this.domain} failed: credentials refused`, { status: res.status });
      }
      if (!res.ok) throw await errorFromResponse(res, `login to ${this.domain}`);
    } finally {
      probe.close();
    }
    await saveCredentials(this.domain, credentials, this.#opts);
    this.#creds = Promise.resolve(credentials);
    this.transport.auth.clear();
  }

  /** Removes stored credentials like `docker logout`; resolves `false` when there were none. */
  async logout(): Promise<boolean> {
    this.#creds = undefined;
    this.transport.auth.clear();
    return removeCredentials(this.domain, this.#opts);
  }

  /** Closes idle connections. */
  close(): void {
    this.transport.close();
  }
}
