/**
 * Reading an image config blob safely: a size cap before any byte is read,
 * typed errors for bytes that are not a JSON object, and caps on the entry
 * counts a hostile image could inflate ({@link CONFIG_LIMITS}).
 *
 * @module
 */
import { ImageError, StoreError } from '../errors.js';
import type { ContainerConfig, Descriptor, ImageConfig } from '../oci/image-types.js';
import { CONFIG_LIMITS, overLimit } from '../oci/limits.js';
import type { Store } from '../store/index.js';

const MIB = 1024 * 1024;

function tooLarge(what: string, size: number): ImageError {
  return new ImageError(
    'ERR_CONFIG_TOO_LARGE',
    `${what}: image config is ${(size / MIB).toFixed(1)} MiB, over the limit of ${CONFIG_LIMITS.configBytes / MIB} MiB`,
  );
}

/**
 * Refuses a config descriptor whose declared size is over the cap, before it is fetched or read.
 *
 * @throws ImageError `ERR_CONFIG_TOO_LARGE`.
 */
export function checkConfigDescriptor(desc: Descriptor, what: string): void {
  if (desc.size > CONFIG_LIMITS.configBytes) throw tooLarge(what, desc.size);
}

/**
 * Refuses a runtime config with more entries than {@link CONFIG_LIMITS} allows.
 *
 * @throws ImageError `ERR_CONFIG_TOO_LARGE` naming the field.
 */
export function checkConfigEntries(config: ContainerConfig, what: string): void {
  const args = joined(config.Entrypoint, config.Cmd);
  const over = overLimit([
    ['Env', config.Env, 'envEntries'],
    ['Entrypoint and Cmd', args, 'argEntries'],
    ['Labels', config.Labels, 'labelEntries'],
    ['Volumes', config.Volumes, 'mountEntries'],
    ['ExposedPorts', config.ExposedPorts, 'portEntries'],
  ]);
  if (over !== undefined) {
    const [field, n, cap] = over;
    throw new ImageError('ERR_CONFIG_TOO_LARGE', `${what}: image config ${field} has ${n} entries, over the limit of ${cap}`);
  }
}

function joined(...lists: unknown[]): unknown[] {
  return lists.flatMap((l) => (Array.isArray(l) ? (l as unknown[]) : []));
}

/**
 * Parses config bytes into an {@link ImageConfig}.
 *
 * @throws ImageError `ERR_CONFIG_TOO_LARGE` (bytes or entries over the caps), `ERR_IMAGE_INVALID`
 *   (not JSON, not an object, or a runtime config whose `Env`, `Cmd` or `Entrypoint` is not a list of strings).
 */
export function parseImageConfig(bytes: Buffer, what: string): ImageConfig {
  if (bytes.length > CONFIG_LIMITS.configBytes) throw tooLarge(what, bytes.length);
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new ImageError('ERR_IMAGE_INVALID', `${what}: image config is not valid JSON`, { cause: err });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ImageError('ERR_IMAGE_INVALID', `${what}: image config is not a JSON object`);
  }
  const config = parsed as ImageConfig;
  const runtime: unknown = config.config ?? {};
  if (typeof runtime !== 'object' || runtime === null || Array.isArray(runtime)) {
    throw new ImageError('ERR_IMAGE_INVALID', `${what}: image config "config" is not an object`);
  }
  const rc = runtime as Record<string, unknown>;
  for (const field of ['Env', 'Cmd', 'Entrypoint'] as const) {
    const v = rc[field];
    if (v !== undefined && v !== null && !(Array.isArray(v) && v.every((e) => typeof e === 'string'))) {
      throw new ImageError('ERR_IMAGE_INVALID', `${what}: image config ${field} is not a list of strings`);
    }
  }
  checkConfigEntries(runtime as ContainerConfig, what);
  return config;
}

/**
 * Reads and parses the config `desc` names from `store`.
 *
 * @throws ImageError as {@link parseImageConfig}; StoreError when the blob is missing or corrupt.
 */
export async function readImageConfig(store: Store, desc: Descriptor, what: string): Promise<ImageConfig> {
  checkConfigDescriptor(desc, what);
  let bytes: Buffer;
  try {
    bytes = await store.readBytes(desc.digest, CONFIG_LIMITS.configBytes);
  } catch (err) {
    if (err instanceof StoreError && err.code === 'ERR_BLOB_TOO_LARGE') {
      throw new ImageError('ERR_CONFIG_TOO_LARGE', `${what}: image config is over the limit of ${CONFIG_LIMITS.configBytes / MIB} MiB`, { cause: err });
    }
    throw err;
  }
  return parseImageConfig(bytes, what);
}
