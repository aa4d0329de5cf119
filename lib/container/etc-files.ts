/**
 * `/etc/hosts`, `/etc/hostname` and `/etc/resolv.conf` of a container:
 * generated into the container's directory on the host and bind-mounted over
 * the image's, as Docker does.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join, relative, resolve } from 'node:path';
import { ContainerError } from '../errors.js';
import type { RuntimeMount } from '../oci/runtime-spec.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { NetworkMode } from './options.js';
import { checkProcMount } from './proc-mounts.js';
import { resolveInRoot } from './rootfs-path.js';

/** Host paths of the generated files. */
export interface EtcFiles {
  hosts: string;
  hostname: string;
  resolvConf: string;
  /**
   * Where each is bound in the container, when the image's file is a symlink: the path it
   * resolves to inside the root ({@link etcFileDestinations}). `/etc/…` when omitted.
   */
  destinations?: EtcDestinations;
}

/** In-container paths the generated files are bound on. */
export interface EtcDestinations {
  hosts: string;
  hostname: string;
  resolvConf: string;
}

const ETC_PATHS: EtcDestinations = { hosts: '/etc/hosts', hostname: '/etc/hostname', resolvConf: '/etc/resolv.conf' };

/**
 * The in-container paths to bind the generated files on, with symlinks of the
 * image resolved inside `rootfs` as runc does: a dangling
 * `/etc/resolv.conf -> ../run/systemd/resolve/stub-resolv.conf` gives that
 * target (the runtime creates it, inside the root, before binding), and a link
 * that climbs out (`/../../x`) stops at the root. Call it with the rootfs
 * mounted and the container not running.
 *
 * @throws ContainerError `ERR_INVALID_MOUNT` when one resolves into `/proc`.
 */
export async function etcFileDestinations(rootfs: string): Promise<EtcDestinations> {
  const base = resolve(rootfs);
  const inRoot = async (p: string): Promise<string> => `/${relative(base, await resolveInRoot(base, p))}`;
  const [hosts, hostname, resolvConf] = await Promise.all([inRoot(ETC_PATHS.hosts), inRoot(ETC_PATHS.hostname), inRoot(ETC_PATHS.resolvConf)]);
  // a link into /proc would have the runtime bind over procfs: refused as a mount there is
  for (const dest of [hosts, hostname, resolvConf]) checkProcMount(dest, 'bind', undefined);
  return { hosts, hostname, resolvConf };
}

/** Inputs of {@link writeEtcFiles}. */
export interface EtcFilesInput {
  hostname: string;
  network: NetworkMode;
  /** `name:ip` entries (`--add-host`). */
  extraHosts?: string[] | undefined;
  /** The host's hosts file; `/etc/hosts` by default. */
  hostHostsPath?: string;
  /** The host's resolver config; `/etc/resolv.conf` by default. */
  hostResolvConfPath?: string;
}

/** The hosts file of a container without a network: loopback names only. */
export const LOCALHOST_HOSTS = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
].join('\n') + '\n';

/**
 * Lines for `--add-host` entries.
 *
 * @throws ContainerError `ERR_INVALID_OPTION` for an entry that is not `name:ip`.
 */
export function extraHostLines(entries: string[]): string {
  return entries
    .map((e) => {
      const at = e.indexOf(':');
      const name = e.slice(0, at);
      const ip = e.slice(at + 1).replace(/^\[(.*)\]$/, '$1');
      if (at <= 0 || isIP(ip) === 0 || /\s/.test(name)) {
        throw new ContainerError('ERR_INVALID_OPTION', `invalid extra host ${JSON.stringify(e)}: expected name:ip`);
      }
      return `${ip}\t${name}\n`;
    })
    .join('');
}

/** Content of the hosts file: the host's for host networking, else loopback names; then extra hosts. */
export function hostsContent(network: NetworkMode, hostHosts: string | undefined, extraHosts: string[] = []): string {
  let base = network === 'host' && hostHosts !== undefined ? hostHosts : LOCALHOST_HOSTS;
  if (base !== '' && !base.endsWith('\n')) base += '\n';
  return base + extraHostLines(extraHosts);
}

function isLoopbackNameserver(line: string): boolean {
  const m = /^\s*nameserver\s+(\S+)/.exec(line);
  if (m === null) return false;
  const ip = (m[1] as string).replace(/%.*$/, '');
  return ip.startsWith('127.') || ip === '::1' || ip === '0:0:0:0:0:0:0:1';
}

/**
 * Content of resolv.conf: the host's as it is for host networking; otherwise
 * the host's without loopback nameservers (they would name the container
 * itself).
 */
export function resolvConfContent(network: NetworkMode, hostResolv: string | undefined): string {
  const text = hostResolv ?? '';
  if (network === 'host') return text;
  const kept = text.split('\n').filter((l) => !isLoopbackNameserver(l)).join('\n');
  return kept === '' || kept.endsWith('\n') ? kept : `${kept}\n`;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Writes `hosts`, `hostname` and `resolv.conf` into the container directory `dir`. */
export async function writeEtcFiles(dir: string, input: EtcFilesInput): Promise<EtcFiles> {
  const files: EtcFiles = { hosts: join(dir, 'hosts'), hostname: join(dir, 'hostname'), resolvConf: join(dir, 'resolv.conf') };
  const [hostHosts, hostResolv] = await Promise.all([
    readOptional(input.hostHostsPath ?? '/etc/hosts'),
    readOptional(input.hostResolvConfPath ?? '/etc/resolv.conf'),
  ]);
  await writeFileAtomic(files.hosts, hostsContent(input.network, hostHosts, input.extraHosts));
  await writeFileAtomic(files.hostname, `${input.hostname}\n`);
  await writeFileAtomic(files.resolvConf, resolvConfContent(input.network, hostResolv));
  return files;
}

/**
 * Bind mounts of the generated files over the image's, skipping any the user
 * mounts something on; read-only when the root filesystem is.
 */
export function etcFileMounts(files: EtcFiles, userTargets: Set<string>, readonly: boolean): RuntimeMount[] {
  const to = files.destinations ?? ETC_PATHS;
  const triples: [string, string, string][] = [
    [ETC_PATHS.resolvConf, to.resolvConf, files.resolvConf],
    [ETC_PATHS.hostname, to.hostname, files.hostname],
    [ETC_PATHS.hosts, to.hosts, files.hosts],
  ];
  return triples
    .filter(([path, dest]) => !userTargets.has(path) && !userTargets.has(dest))
    .map(([, destination, source]) => ({ destination, type: 'bind', source, options: ['rbind', 'rprivate', readonly ? 'ro' : 'rw'] }));
}
