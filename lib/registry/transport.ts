/**
 * HTTP transport of one registry: keep-alive agents, the HTTP/HTTPS choice,
 * authentication, retries with backoff, and redirects followed by hand so
 * credentials never leave the registry host.
 *
 * @module
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Readable } from 'node:stream';
import type { RequestInit, Response } from 'node-fetch';
import { RegistryError } from '../errors.js';
import { logger } from '../log.js';
import { Authenticator } from './auth/authenticator.js';
import { allowsPlainHttp, insecureFromEnv, isLinkLocalHost } from './host-policy.js';
import type { RegistryCredentials, RegistryOptions } from './options.js';
import { isRetryableError, isRetryableStatus, retryDelay, retryPolicy, sleep, type RetryPolicy } from './retry.js';

type Fetch = typeof import('node-fetch').default;
let fetchModule: Promise<Fetch> | undefined;

/**
 * node-fetch, loaded on the first request: most commands (run, exec, ps …) never talk to a
 * registry, and loading it costs a cold CLI process ~25 ms.
 */
function loadFetch(): Promise<Fetch> {
  fetchModule ??= import('node-fetch').then((m) => m.default);
  return fetchModule;
}

const log = logger('registry');

/** HTTP methods the registry API uses. */
export type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/** A body that can be sent again on a retry. */
export type ReplayableBody = Buffer | string | (() => Readable);

/** One request to the registry. */
export interface RequestSpec {
  method: Method;
  /** A path such as `/v2/` (relative to the registry) or an absolute URL. */
  url: string;
  headers?: Record<string, string>;
  body?: ReplayableBody;
  /** Token scopes the request needs, such as `repository:a/b:pull`. */
  scope?: readonly string[];
  signal?: AbortSignal;
}

/** Transport of one registry host. */
export class Transport {
  /** `host[:port]` of the registry API. */
  readonly host: string;
  /** `http:` or `https:`. */
  readonly protocol: 'http:' | 'https:';
  /** Base URL such as `https://host:5000`. */
  readonly origin: string;
  readonly auth: Authenticator;
  readonly insecure: readonly string[];
  readonly #retry: RetryPolicy;
  readonly #maxRedirects: number;
  readonly #httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 16 });
  readonly #httpsAgent: HttpsAgent;
  readonly #userAgent: string;
  readonly #ca: RegistryOptions['ca'];

  constructor(host: string, opts: RegistryOptions, credentials: () => Promise<RegistryCredentials | undefined>) {
    this.host = host.toLowerCase();
    this.insecure = [...insecureFromEnv(), ...(opts.insecureRegistries ?? []).map((s) => s.toLowerCase())];
    const plain = opts.ca === undefined && (opts.insecure === true || allowsPlainHttp(this.host, this.insecure));
    this.protocol = plain ? 'http:' : 'https:';
    this.origin = `${this.protocol}//${this.host}`;
    this.#httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 16, ...(opts.ca !== undefined ? { ca: opts.ca } : {}) });
    this.#retry = retryPolicy(opts.retry);
    this.#maxRedirects = opts.maxRedirects ?? 5;
    this.#userAgent = opts.userAgent ?? 'ocikit/0.1';
    this.#ca = opts.ca;
    this.auth = new Authenticator(this.host, (url, init) => this.rawFetch(url, init), credentials, this.insecure);
  }

  /** A plain fetch through this transport's agents (no auth, no retries). */
  rawFetch(url: string, init: RequestInit): Promise<Response> {
    const u = new URL(url);
    if (isLinkLocalHost(u.hostname)) {
      return Promise.reject(new RegistryError('ERR_UNSAFE_URL', `refusing to contact link-local address ${u.host}`, { url }));
    }
    return loadFetch().then((fetch) => fetch(url, {
      ...init,
      headers: { 'User-Agent': this.#userAgent, ...(init.headers as Record<string, string> | undefined) },
      agent: u.protocol === 'https:' ? this.#httpsAgent : this.#httpAgent,
    }));
  }

  /**
   * What another thread needs to send one GET to the registry's own origin
   * itself: the absolute URL and headers (User-Agent, and Authorization for
   * `scope` when the registry wants one), and the CA. It must follow no
   * redirect and answer no challenge: those come back here through {@link send}.
   */
  async plainGet(url: string, scope: readonly string[]): Promise<{ url: string; headers: Record<string, string>; ca?: RegistryOptions['ca'] }> {
    const abs = this.#resolve(url);
    if (!this.isOwnOrigin(abs) || isLinkLocalHost(new URL(abs).hostname)) throw new RegistryError('ERR_UNSAFE_URL', `refusing to hand ${abs} to another thread`, { url: abs });
    const headers: Record<string, string> = { 'User-Agent': this.#userAgent };
    const authz = await this.auth.header(scope);
    if (authz !== undefined) headers['Authorization'] = authz;
    return { url: abs, headers, ...(this.#ca !== undefined ? { ca: this.#ca } : {}) };
  }

  /** Whether `url` is on the registry's own origin (where credentials may go). */
  isOwnOrigin(url: string): boolean {
    return new URL(url).origin === this.origin;
  }

  /**
   * Sends a request: adds auth for its scope, answers one auth challenge,
   * retries transient failures, and follows GET/HEAD redirects (capped),
   * sending `Authorization` only to the registry's own origin.
   */
  async send(spec: RequestSpec): Promise<Response> {
    const scope = spec.scope ?? [];
    let attempt = 0;
    let authRetried = false;
    for (;;) {
      attempt++;
      let res: Response;
      try {
        res = await this.#sendFollowing(spec, scope);
      } catch (err) {
        if (err instanceof RegistryError || !isRetryableError(err) || attempt >= this.#retry.attempts || spec.signal?.aborted) {
          if (err instanceof RegistryError || spec.signal?.aborted) throw err;
          throw new RegistryError('ERR_NETWORK', `${spec.method} ${spec.url}: ${(err as Error).message}`, { cause: err, url: spec.url });
        }
        const delay = retryDelay(this.#retry, attempt);
        log('%s %s failed (%s); retry %d in %dms', spec.method, spec.url, (err as Error).message, attempt, delay);
        await sleep(delay, spec.signal);
        continue;
      }
      if (res.status === 401 && !authRetried && this.isOwnOrigin(res.url || this.#resolve(spec.url))) {
        authRetried = true;
        if (await this.auth.challenge(res.headers.get('www-authenticate'), scope)) {
          drain(res);
          attempt--;
          continue;
        }
      }
      if (isRetryableStatus(res.status) && attempt < this.#retry.attempts) {
        const delay = retryDelay(this.#retry, attempt, res.headers.get('retry-after'));
        log('%s %s: %d; retry %d in %dms', spec.method, spec.url, res.status, attempt, delay);
        drain(res);
        await sleep(delay, spec.signal);
        continue;
      }
      return res;
    }
  }

  #resolve(url: string): string {
    return new URL(url, this.origin).href;
  }

  async #sendFollowing(spec: RequestSpec, scope: readonly string[]): Promise<Response> {
    let url = this.#resolve(spec.url);
    let method: Method = spec.method;
    const follow = method === 'GET' || method === 'HEAD';
    for (let hops = 0; ; hops++) {
      const headers: Record<string, string> = { ...spec.headers };
      if (this.isOwnOrigin(url)) {
        const authz = await this.auth.header(scope);
        if (authz !== undefined) headers['Authorization'] = authz;
      } else {
        // A foreign host (blob storage): no registry headers that could leak.
        delete headers['Authorization'];
      }
      const body = hops === 0 && spec.body !== undefined ? (typeof spec.body === 'function' ? spec.body() : spec.body) : undefined;
      const res = await this.rawFetch(url, { method, headers, body, redirect: 'manual', signal: spec.signal });
      const location = res.headers.get('location');
      if (!follow || res.status < 300 || res.status >= 400 || location === null) return res;
      drain(res);
      if (hops + 1 > this.#maxRedirects) {
        throw new RegistryError('ERR_TOO_MANY_REDIRECTS', `more than ${this.#maxRedirects} redirects for ${spec.url}`, { url });
      }
      const next = new URL(location, url);
      if (next.protocol !== 'https:' && !(next.protocol === 'http:' && (this.isOwnOrigin(next.href) || allowsPlainHttp(next.host, this.insecure)))) {
        throw new RegistryError('ERR_UNSAFE_REDIRECT', `refusing redirect to ${next.origin}`, { url: next.href });
      }
      if (isLinkLocalHost(next.hostname)) {
        throw new RegistryError('ERR_UNSAFE_REDIRECT', `refusing redirect to link-local ${next.host}`, { url: next.href });
      }
      log('redirect %d → %s', res.status, next.origin);
      if (res.status === 303) method = 'GET';
      url = next.href;
    }
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }
}

/** Discards a response body so its socket returns to the pool. */
export function drain(res: Response): void {
  res.body?.on('error', () => undefined);
  res.body?.resume();
}
