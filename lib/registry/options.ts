/**
 * Options of a {@link Registry} client.
 *
 * @module
 */

/** Credentials for one registry. */
export interface RegistryCredentials {
  /** User name; empty when only an identity token is used. */
  username: string;
  /** Password or access token. */
  password: string;
  /** An OAuth2 refresh token (`identitytoken` in Docker's config.json), used instead of the password for token auth. */
  identityToken?: string;
}

/** How failed requests are retried. */
export interface RetryOptions {
  /** Attempts in total, the first included (default 4). */
  attempts?: number;
  /** Delay before the first retry, doubled each time (default 250 ms). */
  baseDelayMs?: number;
  /** Largest delay ocikit waits, also the cap of a `Retry-After` (default 10 s). */
  maxDelayMs?: number;
}

/** Options of a {@link Registry} client. */
export interface RegistryOptions {
  /**
   * Credentials to use. When absent they are looked up in Docker's config.json
   * (`auths`, `credHelpers`, `credsStore`) and in Podman's auth.json.
   */
  credentials?: RegistryCredentials;
  /** Do not look up stored credentials (anonymous unless `credentials` is given). */
  anonymous?: boolean;
  /**
   * Allow plain HTTP to this registry. Loopback registries and those listed in
   * `OCIKIT_INSECURE_REGISTRIES` (comma separated `host[:port]`) are allowed without it.
   */
  insecure?: boolean;
  /** More `host[:port]` entries allowed over plain HTTP. */
  insecureRegistries?: string[];
  /** PEM certificate(s) trusted in addition to the system CAs, for HTTPS. */
  ca?: string | Buffer;
  /** Retry policy for 429, 5xx and reset connections. */
  retry?: RetryOptions;
  /** Most redirects followed for one request (default 5). */
  maxRedirects?: number;
  /** Blobs larger than this are uploaded in chunks with PATCH (default 64 MiB). */
  chunkThreshold?: number;
  /** Size of one PATCH chunk (default 16 MiB). */
  chunkSize?: number;
  /** Most times a cut blob download is resumed with `Range` (default 5). */
  maxResumes?: number;
  /** Path of Docker's config.json (default `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`). */
  dockerConfigPath?: string;
  /** Path of Podman's auth.json (default `$REGISTRY_AUTH_FILE`, else `$XDG_RUNTIME_DIR/containers/auth.json`). */
  podmanAuthPath?: string;
  /** Base URL of the Docker Hub search API (default `https://index.docker.io`); for tests. */
  hubSearchUrl?: string;
  /** `User-Agent` header. */
  userAgent?: string;
}

/** The Docker Hub domain as it appears in references. */
export const DOCKER_HUB_DOMAIN = 'docker.io';
/** The host that serves Docker Hub's registry API. */
export const DOCKER_HUB_REGISTRY = 'registry-1.docker.io';
/** The key Docker's config.json uses for Docker Hub credentials. */
export const DOCKER_HUB_AUTH_KEY = 'https://index.docker.io/v1/';

/** The API host of a reference domain (`docker.io` → `registry-1.docker.io`). */
export function registryApiHost(domain: string): string {
  return domain === DOCKER_HUB_DOMAIN || domain === 'index.docker.io' ? DOCKER_HUB_REGISTRY : domain;
}
