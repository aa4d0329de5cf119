/**
 * Image search: Docker Hub's search API for docker.io, and catalog filtering
 * for registries without a search API.
 *
 * @module
 */
import { RegistryError } from '../errors.js';
import { errorFromResponse } from './error-body.js';
import { DOCKER_HUB_DOMAIN } from './options.js';
import type { Registry } from './registry.js';

/** One search hit, shaped like `docker search` output. */
export interface SearchResult {
  /** Repository name (`library/busybox` becomes `busybox` on Docker Hub, as Docker shows it). */
  name: string;
  description: string;
  stars: number;
  official: boolean;
  automated: boolean;
}

/** Options of a search. */
export interface SearchOptions {
  /** Most results (default 25). */
  limit?: number;
  /** Base URL of Docker Hub's search API (default `https://index.docker.io`). */
  hubSearchUrl?: string;
  signal?: AbortSignal;
}

interface HubResult {
  name?: unknown;
  description?: unknown;
  star_count?: unknown;
  is_official?: unknown;
  is_automated?: unknown;
}

/** Builds the Docker Hub search URL for `term`. */
export function hubSearchUrl(base: string, term: string, limit: number): string {
  const url = new URL('/v1/search', base);
  url.searchParams.set('q', term);
  url.searchParams.set('n', String(limit));
  return url.href;
}

/** Parses a Docker Hub search response body. */
export function parseHubSearch(body: unknown): SearchResult[] {
  const results = (body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) throw new RegistryError('ERR_SEARCH', 'search response has no results list');
  return (results as HubResult[])
    .filter((r) => typeof r.name === 'string')
    .map((r) => ({
      name: r.name as string,
      description: typeof r.description === 'string' ? r.description : '',
      stars: typeof r.star_count === 'number' ? r.star_count : 0,
      official: r.is_official === true,
      automated: r.is_automated === true,
    }));
}

/** Searches `registry` for `term`. */
export async function searchRegistry(registry: Registry, term: string, opts: SearchOptions): Promise<SearchResult[]> {
  const limit = opts.limit ?? 25;
  if (registry.domain === DOCKER_HUB_DOMAIN) {
    const url = hubSearchUrl(opts.hubSearchUrl ?? 'https://index.docker.io', term, limit);
    const res = await registry.transport.rawFetch(url, { headers: { Accept: 'application/json' }, signal: opts.signal, redirect: 'error' });
    if (!res.ok) throw await errorFromResponse(res, `search ${JSON.stringify(term)}`);
    return parseHubSearch(await res.json()).slice(0, limit);
  }
  const needle = term.toLowerCase();
  const repos = await registry.catalog({ signal: opts.signal });
  return repos
    .filter((r) => r.toLowerCase().includes(needle))
    .slice(0, limit)
    .map((name) => ({ name, description: '', stars: 0, official: false, automated: false }));
}
