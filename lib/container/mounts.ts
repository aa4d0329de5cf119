/**
 * A container's mounts as the runtime spec lists them: Docker's default
 * mounts, the user's bind, volume and tmpfs mounts, and the image's volumes.
 *
 * @module
 */
import { posix } from 'node:path';
import { ContainerError } from '../errors.js';
import { checkProcMount } from './proc-mounts.js';
import type { ContainerConfig } from '../oci/image-types.js';
import { defaultMounts, type RuntimeMount } from '../oci/runtime-spec.js';
import type { ContainerOptions, MountOption } from './options.js';

/**
 * A mount whose source the caller has made real: the host directory of a bind
 * or the `_data` directory of a volume (named or anonymous). tmpfs mounts need
 * no `hostPath`.
 */
export interface ResolvedMount {
  option: MountOption;
  /** Host path to bind; for a bind mount, `option.source` when omitted. */
  hostPath?: string;
  /** Set for a volume created for an image `Volumes` entry or a `volume` mount without a source. */
  anonymous?: boolean;
}

const PROPAGATIONS = new Set(['private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave']);

/**
 * Cleans an in-container mount target.
 *
 * @throws ContainerError `ERR_INVALID_MOUNT` when it is relative or `/`.
 */
export function cleanTarget(target: string): string {
  if (!target.startsWith('/')) throw new ContainerError('ERR_INVALID_MOUNT', `invalid mount target ${JSON.stringify(target)}: not an absolute path`);
  const clean = posix.normalize(target).replace(/\/+$/, '');
  if (clean === '') throw new ContainerError('ERR_INVALID_MOUNT', 'invalid mount target "/": cannot mount over the root');
  return clean;
}

/**
 * Targets of the image's `Volumes` not covered by one of the user's mounts:
 * each needs an anonymous volume, which the caller creates.
 */
export function imageVolumeTargets(image: ContainerConfig, options: ContainerOptions): string[] {
  const taken = new Set((options.mounts ?? []).map((m) => cleanTarget(m.target)));
  const out: string[] = [];
  for (const v of Object.keys(image.Volumes ?? {})) {
    const t = cleanTarget(posix.join('/', v));
    if (!taken.has(t) && !out.includes(t)) out.push(t);
  }
  return out;
}

function toRuntimeMount(m: ResolvedMount): RuntimeMount {
  const o = m.option;
  const destination = cleanTarget(o.target);
  checkProcMount(destination, o.type, o.type === 'bind' ? o.source : undefined);
  if (o.type === 'tmpfs') {
    const options = ['nosuid', 'nodev', 'noexec'];
    if (o.size !== undefined) {
      if (!Number.isSafeInteger(o.size) || o.size <= 0) throw new ContainerError('ERR_INVALID_MOUNT', `invalid tmpfs size ${o.size} for ${destination}`);
      options.push(`size=${o.size}`);
    }
    const mode = o.mode ?? 0o1777;
    if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new ContainerError('ERR_INVALID_MOUNT', `invalid tmpfs mode for ${destination}`);
    options.push(`mode=${mode.toString(8)}`);
    return { destination, type: 'tmpfs', source: 'tmpfs', options };
  }
  const source = m.hostPath ?? (o.type === 'bind' ? o.source : undefined);
  if (source === undefined || !source.startsWith('/')) {
    throw new ContainerError('ERR_INVALID_MOUNT', `mount ${destination} has no absolute host source`);
  }
  const propagation = o.type === 'bind' ? o.propagation ?? 'rprivate' : 'rprivate';
  if (!PROPAGATIONS.has(propagation)) throw new ContainerError('ERR_INVALID_MOUNT', `invalid propagation ${JSON.stringify(propagation)} for ${destination}`);
  return { destination, type: 'bind', source, options: ['rbind', o.readonly === true ? 'ro' : 'rw', propagation] };
}

function depth(p: string): number {
  return p.split('/').length;
}

/**
 * Runtime mounts for the user's mounts, sorted so a parent is mounted before
 * what lies under it.
 *
 * @throws ContainerError `ERR_DUPLICATE_MOUNT`, `ERR_INVALID_MOUNT`.
 */
export function userRuntimeMounts(mounts: ResolvedMount[]): RuntimeMount[] {
  const out = mounts.map(toRuntimeMount);
  const seen = new Set<string>();
  for (const m of out) {
    if (seen.has(m.destination)) throw new ContainerError('ERR_DUPLICATE_MOUNT', `duplicate mount point: ${m.destination}`);
    seen.add(m.destination);
  }
  return out.map((m, i) => ({ m, i })).sort((a, b) => depth(a.m.destination) - depth(b.m.destination) || a.i - b.i).map((x) => x.m);
}

/**
 * Docker's default mounts less those a user mount replaces (same destination;
 * everything under `/dev` when the user mounts `/dev`). Privileged containers
 * get `/sys` and the cgroup tree writable.
 */
export function baseMounts(userTargets: Set<string>, privileged: boolean): RuntimeMount[] {
  return defaultMounts()
    .filter((m) => !userTargets.has(m.destination) && !(userTargets.has('/dev') && m.destination.startsWith('/dev/')))
    .map((m) => {
      if (privileged && (m.type === 'sysfs' || m.type === 'cgroup')) {
        return { ...m, options: (m.options ?? []).filter((o) => o !== 'ro') };
      }
      return m;
    });
}

/**
 * The `linux.rootfsPropagation` that the user's mounts need: `rshared` for a
 * shared bind mount, `rslave` for a slave one, else none.
 */
export function rootfsPropagation(mounts: RuntimeMount[]): string | undefined {
  const props = mounts.flatMap((m) => (m.type === 'bind' ? m.options ?? [] : []));
  if (props.some((p) => p === 'shared' || p === 'rshared')) return 'rshared';
  if (props.some((p) => p === 'slave' || p === 'rslave')) return 'rslave';
  return undefined;
}
