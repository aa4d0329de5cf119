/**
 * Registry authentication: answers `WWW-Authenticate` challenges with Basic
 * credentials or with Bearer tokens fetched from the token realm, and caches
 * tokens per scope until they expire.
 *
 * @module
 */
import type { RequestInit, Response } from 'node-fetch';
import { RegistryError } from '../../errors.js';
import { logger } from '../../log.js';
import { allowsPlainHttp, isLinkLocalHost } from '../host-policy.js';
import type { RegistryCredentials } from '../options.js';
import { parseChallenges, type Challenge } from './challenge.js';

const log = logger('registry');

/** Fetch function the authenticator uses for the token realm. */
export type RawFetch = (url: string, init: RequestInit) => Promise<Response>;

interface CachedToken {
  token: string;
  expiresAt: number;
}

/** Answers challenges for one registry host. */
export class Authenticator {
  readonly #host: string;
  readonly #fetch: RawFetch;
  readonly #credentials: () => Promise<RegistryCredentials | undefined>;
  readonly #insecure: readonly string[];
  #scheme: 'none' | 'basic' | 'bearer' = 'none';
  #bearer: Challenge | undefined;
  readonly #tokens = new Map<string, CachedToken>();
  /** Token requests in flight, so concurrent requests of one scope share one. */
  readonly #pending = new Map<string, Promise<string>>();

  constructor(host: string, fetchFn: RawFetch, credentials: () => Promise<RegistryCredentials | undefined>, insecure: readonly string[]) {
    this.#host = host;
    this.#fetch = fetchFn;
    this.#credentials = credentials;
    this.#insecure = insecure;
  }

  /** The `Authorization` header to send for `scope`, if one is known without a round trip. */
  async header(scope: readonly string[]): Promise<string | undefined> {
    if (this.#scheme === 'basic') {
      const creds = await this.#credentials();
      return creds === undefined ? undefined : basicHeader(creds);
    }
    if (this.#scheme === 'bearer') {
      const cached = this.#tokens.get(scopeKey(scope));
      if (cached !== undefined && cached.expiresAt > Date.now()) return `Bearer ${cached.token}`;
      if (this.#bearer !== undefined) {
        const key = scopeKey(scope);
        let pending = this.#pending.get(key);
        if (pending === undefined) {
          pending = this.#fetchToken(this.#bearer, scope).finally(() => this.#pending.delete(key));
          this.#pending.set(key, pending);
        }
        return `Bearer ${await pending}`;
      }
    }
    return undefined;
  }

  /**
   * Learns from a 401's `WWW-Authenticate` header. Resolves `true` when a new
   * attempt may succeed, `false` when it cannot.
   */
  async challenge(header: string | null, scope: readonly string[]): Promise<boolean> {
    const challenges = parseChallenges(header ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer' && c.params['realm'] !== undefined);
    if (bearer !== undefined) {
      const first = this.#scheme !== 'bearer' || this.#bearer?.params['realm'] !== bearer.params['realm'];
      this.#scheme = 'bearer';
      this.#bearer = bearer;
      const key = scopeKey(scope);
      const had = this.#tokens.get(key);
      this.#tokens.delete(key);
      // A token we already had that is refused: a fresh one may carry more rights only once.
      return first || had !== undefined || bearer.params['error'] === 'invalid_token';
    }
    if (challenges.some((c) => c.scheme === 'basic')) {
      const was = this.#scheme;
      this.#scheme = 'basic';
      return was !== 'basic' && (await this.#credentials()) !== undefined;
    }
    return false;
  }

  /** Drops every cached token. */
  clear(): void {
    this.#tokens.clear();
  }

  async #fetchToken(challenge: Challenge, scope: readonly string[]): Promise<string> {
    const realm = new URL(challenge.params['realm'] ?? '');
    if (realm.protocol !== 'https:' && !(realm.protocol === 'http:' && allowsPlainHttp(realm.host, this.#insecure))) {
      throw new RegistryError('ERR_UNSAFE_TOKEN_REALM', `token realm ${realm.origin} is not HTTPS`, { url: realm.href });
    }
    if (isLinkLocalHost(realm.hostname)) {
      throw new RegistryError('ERR_UNSAFE_TOKEN_REALM', `token realm ${realm.origin} is link-local`, { url: realm.href });
    }
    const creds = await this.#credentials();
    const service = challenge.params['service'];
    const headers: Record<string, string> = { Accept: 'application/json' };
    let res: Response;
    if (creds?.identityToken !== undefined) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: creds.identityToken, client_id: 'ocikit' });
      if (service !== undefined) form.set('service', service);
      if (scope.length > 0) form.set('scope', scope.join(' '));
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      res = await this.#fetch(realm.href, { method: 'POST', headers, body: form.toString(), redirect: 'error' });
    } else {
      const url = new URL(realm.href);
      if (service !== undefined) url.searchParams.set('service', service);
      for (const s of scope) url.searchParams.append('scope', s);
      if (creds !== undefined) {
        url.searchParams.set('account', creds.username);
        headers['Authorization'] = basicHeader(creds);
      }
      res = await this.#fetch(url.href, { method: 'GET', headers, redirect: 'error' });
    }
    if (!res.ok) {
      const code = res.status === 401 || res.status === 403 ? 'ERR_UNAUTHORIZED' : 'ERR_TOKEN_FETCH';
      const text = (await res.text().catch(() => '')).slice(0, 200);
      throw new RegistryError(code, `token request to ${realm.origin} failed: ${res.status} ${text}`.trim(), {
        status: res.status,
        url: realm.href,
      });
    }
    const body = (await res.json()) as { token?: unknown; access_token?: unknown; expires_in?: unknown; issued_at?: unknown };
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
    if (token === undefined || token === '') {
      throw new RegistryError('ERR_TOKEN_FETCH', `token response from ${realm.origin} holds no token`, { url: realm.href });
    }
    const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 60;
    const issued = typeof body.issued_at === 'string' ? Date.parse(body.issued_at) : NaN;
    const start = Number.isFinite(issued) && issued <= Date.now() ? issued : Date.now();
    this.#tokens.set(scopeKey(scope), { token, expiresAt: start + expiresIn * 1000 - 5_000 });
    log('token for %s scope %s (expires in %ds)', this.#host, scopeKey(scope), expiresIn);
    return token;
  }
}

/** `Basic base64(user:password)`. */
export function basicHeader(creds: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
}

function scopeKey(scope: readonly string[]): string {
  return [...scope].sort().join(' ');
}
