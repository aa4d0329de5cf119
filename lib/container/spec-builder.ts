/**
 * The OCI runtime spec of a container: the image's config merged with the
 * user's options exactly as `docker run` merges them.
 *
 * @module
 */
import { hostname as osHostname } from 'node:os';
import { ContainerError } from '../errors.js';
import type { ImageConfig } from '../oci/image-types.js';
import {
  DEFAULT_MASKED_PATHS,
  DEFAULT_READONLY_PATHS,
  RUNTIME_SPEC_VERSION,
  type LinuxNamespace,
  type RuntimeSpec,
} from '../oci/runtime-spec.js';
import { containerCapabilities } from './capabilities.js';
import { hostBoundingSet } from './host-caps.js';
import { mergeEnv, mergeLabels, processArgs, stopSignal, userSpec, workingDir } from './config-merge.js';
import { etcFileMounts, type EtcFiles } from './etc-files.js';
import { baseMounts, cleanTarget, imageVolumeTargets, rootfsPropagation, userRuntimeMounts, type ResolvedMount } from './mounts.js';
import type { ContainerOptions } from './options.js';
import { containerResources, defaultDevices } from './resources.js';
import { checkOptionLimits, checkProcess, checkStopSignal } from './validate.js';
import { callerLimits, containerRlimits, type ProcessLimit } from './rlimits.js';
import type { MergedConfig } from './state.js';

/** Seconds between the stop signal and SIGKILL when the options give none (Docker's). */
export const DEFAULT_STOP_TIMEOUT = 10;

/** Annotation naming the container's id. */
export const ANNOTATION_ID = 'io.ocikit.container.id';
/** Annotation naming the container's name. */
export const ANNOTATION_NAME = 'io.ocikit.container.name';
/** OCI image-spec annotation carrying the stop signal. */
export const ANNOTATION_STOP_SIGNAL = 'org.opencontainers.image.stopSignal';

/** Everything {@link buildSpec} needs; all of it already resolved on the host. */
export interface BuildSpecInput {
  /** Container id (64 hex digits). */
  id: string;
  /** Container name, recorded as an annotation. */
  name?: string;
  imageConfig: ImageConfig;
  options: ContainerOptions;
  /** Host path of the prepared root filesystem. */
  rootfsPath: string;
  /** Mount the root read-only; `options.readonlyRootfs` also does. */
  rootfsReadonly?: boolean;
  /** The user from `resolveUser`. */
  resolvedUser: { uid: number; gid: number; additionalGids: number[] };
  /** The options' mounts plus one anonymous volume per {@link imageVolumeTargets} entry, with host paths. */
  mounts: ResolvedMount[];
  /** Generated `/etc/hosts`, `/etc/hostname`, `/etc/resolv.conf` (`writeEtcFiles`); not bound when omitted. */
  etcFiles?: EtcFiles;
  /** The caller's rlimits; read from `/proc/self/limits` when omitted. */
  callerLimits?: ProcessLimit[];
  /** Environment consulted for bare `K` entries of `options.env`; `process.env` when omitted. */
  callerEnv?: NodeJS.ProcessEnv;
  /** The host's name, used with host networking; `os.hostname()` when omitted. */
  hostHostname?: string;
  /** The kernel's highest capability number (`/proc/sys/kernel/cap_last_cap`). */
  lastCap?: number;
  /** The host's capability bounding set; read from `/proc/self/status` when omitted. */
  hostBounding?: readonly string[];
}

/** What {@link buildSpec} produces. */
export interface BuiltSpec {
  spec: RuntimeSpec;
  /** The image's labels with the options' on top. */
  labels: Record<string, string>;
  /** Signal that stops the container. */
  stopSignal: string;
  /** The container's host name (the host's with host networking). */
  hostname: string;
  /** Image volume targets that got anonymous volumes. */
  anonymousVolumes: string[];
  /** The merged configuration, as recorded in the container's state. */
  merged: MergedConfig;
}

const HOSTNAME_RE = /^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/;

function containerHostname(input: BuildSpecInput, hostNetwork: boolean): string {
  const wanted = input.options.hostname;
  if (hostNetwork) {
    if (wanted !== undefined && wanted !== '') {
      throw new ContainerError('ERR_CONFLICTING_OPTIONS', 'conflicting options: hostname and the host network mode');
    }
    return input.hostHostname ?? osHostname();
  }
  if (wanted === undefined || wanted === '') return input.id.slice(0, 12);
  if (wanted.length > 64 || !HOSTNAME_RE.test(wanted)) {
    throw new ContainerError('ERR_INVALID_OPTION', `invalid hostname ${JSON.stringify(wanted)}`);
  }
  return wanted;
}

function namespaces(hostNetwork: boolean): LinuxNamespace[] {
  const types: LinuxNamespace['type'][] = ['pid', 'mount', 'ipc', 'cgroup'];
  if (!hostNetwork) types.push('uts', 'network');
  return types.map((type) => ({ type }));
}

/**
 * Builds the runtime spec of a container. Pure apart from reading
 * `/proc/self/limits`, `os.hostname()` and `process.env` when the input does
 * not supply them.
 *
 * @throws ContainerError `ERR_NO_COMMAND`, `ERR_INVALID_WORKDIR`, `ERR_INVALID_MOUNT`,
 *   `ERR_DUPLICATE_MOUNT`, `ERR_VOLUME_UNRESOLVED`, `ERR_UNKNOWN_CAPABILITY`,
 *   `ERR_INVALID_OPTION`, `ERR_INVALID_ULIMIT`, `ERR_CONFLICTING_OPTIONS`, `ERR_INVALID_ENV`,
 *   `ERR_INVALID_ARGS`, `ERR_INVALID_SIGNAL`, `ERR_OPTIONS_TOO_LARGE`.
 */
export function buildSpec(input: BuildSpecInput): BuiltSpec {
  const { options, id } = input;
  const image = input.imageConfig.config ?? {};
  const privileged = options.privileged === true;
  const hostNetwork = options.network === 'host';
  const readonly = input.rootfsReadonly === true || options.readonlyRootfs === true;
  if (options.network !== undefined && options.network !== 'none' && options.network !== 'host') {
    throw new ContainerError('ERR_INVALID_OPTION', `unsupported network mode ${JSON.stringify(options.network)}`);
  }

  checkOptionLimits(options);
  const args = processArgs(image, options);
  const hostname = containerHostname(input, hostNetwork);
  const signal = stopSignal(image, options);
  checkStopSignal(signal, options.stopSignal ? 'options' : 'image');
  const env = mergeEnv(image, options, hostname, input.callerEnv ?? process.env);
  checkProcess(args, env);

  const anonymousVolumes = imageVolumeTargets(image, options);
  const given = new Set(input.mounts.map((m) => cleanTarget(m.option.target)));
  for (const t of [...anonymousVolumes, ...(options.mounts ?? []).map((m) => cleanTarget(m.target))]) {
    if (!given.has(t)) throw new ContainerError('ERR_VOLUME_UNRESOLVED', `no resolved mount given for ${t}`);
  }
  const user = userRuntimeMounts(input.mounts);
  const etc = input.etcFiles === undefined ? [] : etcFileMounts(input.etcFiles, given, readonly);
  const late = [...user, ...etc].map((m, i) => ({ m, i }));
  late.sort((a, b) => a.m.destination.split('/').length - b.m.destination.split('/').length || a.i - b.i);

  const caps = containerCapabilities({ capAdd: options.capAdd, capDrop: options.capDrop, privileged, lastCap: input.lastCap, hostBounding: input.hostBounding ?? hostBoundingSet() });
  const { uid, gid, additionalGids } = input.resolvedUser;
  const spec: RuntimeSpec = {
    ociVersion: RUNTIME_SPEC_VERSION,
    process: {
      terminal: options.tty === true,
      user: { uid, gid, additionalGids: [...additionalGids] },
      args,
      env,
      cwd: workingDir(image, options),
      capabilities: { bounding: caps, effective: [...caps], permitted: [...caps], inheritable: [], ambient: [] },
      rlimits: containerRlimits(options.ulimits, input.callerLimits ?? callerLimits()),
      noNewPrivileges: !privileged,
    },
    root: { path: input.rootfsPath, readonly },
    mounts: [...baseMounts(given, privileged), ...late.map((x) => x.m)],
    annotations: { [ANNOTATION_ID]: id, [ANNOTATION_STOP_SIGNAL]: signal },
    linux: {
      namespaces: namespaces(hostNetwork),
      resources: containerResources(options),
      cgroupsPath: `ocikit/${id}`,
      devices: defaultDevices(),
      maskedPaths: privileged ? [] : [...DEFAULT_MASKED_PATHS],
      readonlyPaths: privileged ? [] : [...DEFAULT_READONLY_PATHS],
    },
  };
  if (!hostNetwork) spec.hostname = hostname;
  if (input.name !== undefined && spec.annotations !== undefined) spec.annotations[ANNOTATION_NAME] = input.name;
  const propagation = rootfsPropagation(user);
  if (propagation !== undefined && spec.linux !== undefined) spec.linux.rootfsPropagation = propagation;
  const labels = mergeLabels(image, options);
  const proc = spec.process;
  const merged: MergedConfig = {
    args,
    env: [...(proc?.env ?? [])],
    workdir: proc?.cwd ?? '/',
    user: userSpec(image, options),
    hostname,
    labels,
    stopSignal: signal,
    stopTimeout: options.stopTimeout ?? DEFAULT_STOP_TIMEOUT,
    tty: options.tty === true,
    openStdin: options.interactive === true,
  };
  return { spec, labels, stopSignal: signal, hostname, anonymousVolumes, merged };
}
