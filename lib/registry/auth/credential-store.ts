/**
 * Stored credentials: Docker's `config.json` (`auths`, `credHelpers`, `credsStore`)
 * and Podman's `auth.json`. Lookup, and saving/removing like `docker login`/`logout`.
 *
 * @module
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { RegistryError } from '../../errors.js';
import { DOCKER_HUB_AUTH_KEY, DOCKER_HUB_DOMAIN, DOCKER_HUB_REGISTRY, type RegistryCredentials } from '../options.js';
import { helperErase, helperGet, helperStore } from './credential-helper.js';

/** Where credentials are looked for. */
export interface CredentialPaths {
  dockerConfigPath?: string;
  podmanAuthPath?: string;
}

interface AuthEntry {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

interface DockerConfigFile {
  auths?: Record<string, AuthEntry>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
  [key: string]: unknown;
}

/** Path of Docker's config.json. */
export function dockerConfigPath(paths: CredentialPaths = {}): string {
  if (paths.dockerConfigPath !== undefined) return paths.dockerConfigPath;
  const dir = process.env['DOCKER_CONFIG'];
  return join(dir !== undefined && dir !== '' ? dir : join(homedir(), '.docker'), 'config.json');
}

/** Path of Podman's auth.json, when one can be named. */
export function podmanAuthPath(paths: CredentialPaths = {}): string | undefined {
  if (paths.podmanAuthPath !== undefined) return paths.podmanAuthPath;
  const file = process.env['REGISTRY_AUTH_FILE'];
  if (file !== undefined && file !== '') return file;
  const run = process.env['XDG_RUNTIME_DIR'];
  return run !== undefined && run !== '' ? join(run, 'containers', 'auth.json') : undefined;
}

/** The keys a registry's credentials may be stored under, best first. */
export function authKeys(domain: string): string[] {
  if (domain === DOCKER_HUB_DOMAIN || domain === DOCKER_HUB_REGISTRY || domain === 'index.docker.io') {
    return [DOCKER_HUB_AUTH_KEY, 'index.docker.io', 'docker.io', DOCKER_HUB_REGISTRY];
  }
  return [domain, `https://${domain}`, `http://${domain}`, `https://${domain}/v1/`, `https://${domain}/v2/`];
}

async function readConfig(path: string): Promise<DockerConfigFile | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new RegistryError('ERR_CREDENTIALS_READ', `cannot read ${path}`, { cause: err });
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as DockerConfigFile) : undefined;
  } catch (err) {
    throw new RegistryError('ERR_CREDENTIALS_READ', `${path} is not valid JSON`, { cause: err });
  }
}

function fromEntry(entry: AuthEntry | undefined): RegistryCredentials | undefined {
  if (entry === undefined) return undefined;
  let username = entry.username ?? '';
  let password = entry.password ?? '';
  if (typeof entry.auth === 'string' && entry.auth !== '') {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    username = decoded.slice(0, colon);
    password = decoded.slice(colon + 1);
  }
  const identityToken = typeof entry.identitytoken === 'string' && entry.identitytoken !== '' ? entry.identitytoken : undefined;
  if (username === '' && password === '' && identityToken === undefined) return undefined;
  return identityToken !== undefined ? { username, password, identityToken } : { username, password };
}

/** Looks up stored credentials for a registry domain; `undefined` when there are none. */
export async function findCredentials(domain: string, paths: CredentialPaths = {}): Promise<RegistryCredentials | undefined> {
  const keys = authKeys(domain);
  const docker = await readConfig(dockerConfigPath(paths));
  if (docker !== undefined) {
    for (const key of keys) {
      const helper = docker.credHelpers?.[key];
      if (helper !== undefined) return helperGet(helper, key);
    }
    for (const key of keys) {
      const found = fromEntry(docker.auths?.[key]);
      if (found !== undefined) return found;
    }
    if (docker.credsStore !== undefined && docker.credsStore !== '') {
      const found = await helperGet(docker.credsStore, keys[0] ?? domain);
      if (found !== undefined) return found;
    }
  }
  const podman = podmanAuthPath(paths);
  if (podman !== undefined) {
    const cfg = await readConfig(podman);
    for (const key of keys) {
      const found = fromEntry(cfg?.auths?.[key]);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

async function writeConfig(path: string, cfg: DockerConfigFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(cfg, null, '\t')}\n`, { mode: 0o600 });
  await rename(tmp, path);
}

/** Saves credentials for `domain` as `docker login` does (a helper when one is configured, else `auths`). */
export async function saveCredentials(domain: string, creds: RegistryCredentials, paths: CredentialPaths = {}): Promise<void> {
  const path = dockerConfigPath(paths);
  const cfg = (await readConfig(path)) ?? {};
  const key = authKeys(domain)[0] ?? domain;
  const helper = cfg.credHelpers?.[key] ?? (cfg.credsStore !== '' ? cfg.credsStore : undefined);
  if (helper !== undefined) {
    await helperStore(helper, key, creds);
    cfg.auths = { ...cfg.auths, [key]: {} };
  } else {
    cfg.auths = { ...cfg.auths, [key]: { auth: Buffer.from(`${creds.username}:${creds.password}`).toString('base64') } };
  }
  await writeConfig(path, cfg);
}

/** Removes stored credentials for `domain`; resolves `false` when there were none. */
export async function removeCredentials(domain: string, paths: CredentialPaths = {}): Promise<boolean> {
  const path = dockerConfigPath(paths);
  const cfg = await readConfig(path);
  if (cfg === undefined) return false;
  const keys = authKeys(domain);
  let removed = false;
  const helper = keys.map((k) => cfg.credHelpers?.[k]).find((h) => h !== undefined) ?? cfg.credsStore;
  if (helper !== undefined && helper !== '') {
    await helperErase(helper, keys[0] ?? domain);
  }
  for (const key of keys) {
    if (cfg.auths?.[key] !== undefined) {
      delete cfg.auths[key];
      removed = true;
    }
  }
  if (removed) await writeConfig(path, cfg);
  return removed;
}
