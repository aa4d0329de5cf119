/**
 * Caps on what ocikit accepts from an image config or from container options.
 * An image is untrusted: without caps a config of a few tens of MiB (half a
 * million `Env` entries) stalls the host application's event loop. Each cap is
 * far above what a real image or `docker run` command line uses, and at or above
 * what the kernel would run anyway (`execve` takes at most `ARG_MAX`, 2 MiB by
 * default, of arguments and environment together).
 *
 * @module
 */

/** The caps; a config or options object over any of them is refused with a typed error. */
export const CONFIG_LIMITS = {
  /** Bytes of an image config blob (8 MiB; real configs are a few KiB). */
  configBytes: 8 * 1024 * 1024,
  /** Environment entries: the image's `Env`, the options' `env`, and the two merged. */
  envEntries: 32_768,
  /** Arguments: `Entrypoint` plus `Cmd` of the image, `entrypoint` plus `cmd` of the options. */
  argEntries: 32_768,
  /** Labels of the image or of the options. */
  labelEntries: 16_384,
  /** Image `Volumes`, options `mounts`. */
  mountEntries: 1024,
  /** Image `ExposedPorts`. */
  portEntries: 65_536,
  /** Options `extraHosts`. */
  hostEntries: 4096,
} as const;

/** Names of the entry-count caps of {@link CONFIG_LIMITS}. */
export type EntryLimit = Exclude<keyof typeof CONFIG_LIMITS, 'configBytes'>;

/** How many entries `v` has: its length (array) or its number of keys (object); 0 otherwise. */
export function entryCount(v: unknown): number {
  if (Array.isArray(v)) return v.length;
  if (typeof v === 'object' && v !== null) return Object.keys(v).length;
  return 0;
}

/**
 * The first of `fields` over its cap, as `[field, count, cap]`, or `undefined`.
 * `fields` maps a field name (used in messages) to its value and cap.
 */
export function overLimit(fields: ReadonlyArray<[string, unknown, EntryLimit]>): [string, number, number] | undefined {
  for (const [name, value, limit] of fields) {
    const n = entryCount(value);
    if (n > CONFIG_LIMITS[limit]) return [name, n, CONFIG_LIMITS[limit]];
  }
  return undefined;
}
