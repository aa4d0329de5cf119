/**
 * Checks on container options and on the merged process that Docker makes at
 * create time, so that a bad value is refused with a typed error before
 * anything is written, not when the container starts or stops.
 *
 * @module
 */
import { ContainerError, ImageError } from '../errors.js';
import { CONFIG_LIMITS, overLimit } from '../oci/limits.js';
import { Image } from '../image/image.js';
import { formatPlatform, hostPlatform, platformMatches, platformOption } from '../image/platform.js';
import type { ImageConfig, Platform } from '../oci/image-types.js';
import type { ContainerOptions } from './options.js';
import { signalName } from './signals.js';

/**
 * Refuses options with more entries than {@link CONFIG_LIMITS} allows.
 *
 * @throws ContainerError `ERR_OPTIONS_TOO_LARGE` naming the option.
 */
export function checkOptionLimits(options: ContainerOptions): void {
  const entrypoint = Array.isArray(options.entrypoint) ? options.entrypoint : [];
  const over = overLimit([
    ['env', options.env, 'envEntries'],
    ['entrypoint and cmd', [...entrypoint, ...(options.cmd ?? [])], 'argEntries'],
    ['labels', options.labels, 'labelEntries'],
    ['mounts', options.mounts, 'mountEntries'],
    ['extraHosts', options.extraHosts, 'hostEntries'],
  ]);
  if (over !== undefined) {
    const [field, n, cap] = over;
    throw new ContainerError('ERR_OPTIONS_TOO_LARGE', `container options: ${field} has ${n} entries, over the limit of ${cap}`);
  }
}

/**
 * Refuses a merged process the kernel could not run: a NUL byte in an argument
 * or environment entry (which `execve` cannot pass), or more environment
 * entries than the cap once the image's and the options' are merged.
 *
 * @throws ContainerError `ERR_INVALID_ENV` naming the variable, `ERR_INVALID_ARGS`, `ERR_OPTIONS_TOO_LARGE`.
 */
export function checkProcess(args: readonly string[], env: readonly string[]): void {
  if (env.length > CONFIG_LIMITS.envEntries) {
    throw new ContainerError('ERR_OPTIONS_TOO_LARGE', `container environment has ${env.length} entries, over the limit of ${CONFIG_LIMITS.envEntries}`);
  }
  for (const e of env) {
    if (e.includes('\0')) {
      const eq = e.indexOf('=');
      const name = eq === -1 ? e : e.slice(0, eq);
      throw new ContainerError('ERR_INVALID_ENV', `invalid environment variable ${JSON.stringify(name)}: it contains a NUL byte`);
    }
  }
  const bad = args.findIndex((a) => a.includes('\0'));
  if (bad !== -1) throw new ContainerError('ERR_INVALID_ARGS', `invalid command: argument ${bad} contains a NUL byte`);
}

/**
 * Checks the stop signal as `docker create` does.
 *
 * @throws ContainerError `ERR_INVALID_SIGNAL` saying where the signal came from.
 */
export function checkStopSignal(signal: string, from: 'options' | 'image'): void {
  try {
    signalName(signal);
  } catch (err) {
    const where = from === 'options' ? 'the stopSignal option' : "the image's StopSignal";
    throw new ContainerError('ERR_INVALID_SIGNAL', `invalid stop signal ${JSON.stringify(signal)} (${where}): not a signal name or number of this host`, { cause: err });
  }
}

/**
 * Checks the arguments of `Container.create` / `Container.run`, which untyped callers can get wrong.
 *
 * @throws ContainerError `ERR_INVALID_OPTION`; ImageError `ERR_INVALID_PLATFORM` for a bad `platform`.
 */
export function checkCreateArgs(image: unknown, options: unknown): void {
  if (typeof image !== 'string' && !(image instanceof Image)) {
    const got = image === null ? 'null' : typeof image;
    throw new ContainerError('ERR_INVALID_OPTION', `invalid image argument: expected a reference string or an Image, got ${got}`);
  }
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ContainerError('ERR_INVALID_OPTION', `invalid options argument: expected an object, got ${options === null ? 'null' : Array.isArray(options) ? 'an array' : typeof options}`);
  }
  const platform = (options as ContainerOptions).platform;
  if (platform !== undefined) platformOption(platform);
}

/**
 * Refuses an image built for another platform than the one it would run as: the
 * host's, or the `platform` option when given. Docker warns and runs it (and
 * fails with `exec format error` unless emulation is set up); ocikit refuses
 * unless the caller names the image's platform explicitly (`platform:
 * 'linux/arm64'`, for a host with qemu-user registered in binfmt_misc). An image
 * that names no platform is not refused.
 *
 * @throws ImageError `ERR_INVALID_PLATFORM` for a bad `platform` option, `ERR_PLATFORM_MISMATCH`
 *   naming both platforms.
 */
export function checkImagePlatform(config: ImageConfig, option: string | Platform | undefined, what: string): void {
  const explicit = option === undefined ? undefined : platformOption(option);
  if (typeof config.os !== 'string' || config.os === '' || typeof config.architecture !== 'string' || config.architecture === '') return;
  const image: Platform = { os: config.os, architecture: config.architecture, ...(config.variant ? { variant: config.variant } : {}) };
  const want = explicit ?? hostPlatform();
  if (platformMatches(want, image)) return;
  const have = formatPlatform(image);
  if (explicit === undefined) {
    throw new ImageError(
      'ERR_PLATFORM_MISMATCH',
      `image ${what} is for ${have}, but this host is ${formatPlatform(want)}: pass platform ${JSON.stringify(have)} to run it under emulation`,
    );
  }
  throw new ImageError('ERR_PLATFORM_MISMATCH', `image ${what} is for ${have}, not for the requested platform ${formatPlatform(want)}`);
}
