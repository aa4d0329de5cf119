/**
 * Pure functions that derive a new manifest and config from old ones, as
 * `mutate.Append` and `mutate.Config` do in go-containerregistry.
 *
 * @module
 */
import type { Digest } from '../oci/digest.js';
import type { ContainerConfig, Descriptor, HistoryEntry, ImageConfig, ImageManifest } from '../oci/image-types.js';

/** A layer to append: its descriptor, diff_id and the history entry that explains it. */
export interface AppendedLayer {
  /** Descriptor of the (compressed) layer blob. */
  descriptor: Descriptor;
  /** sha256 of the uncompressed layer. */
  diffId: Digest;
  /** History entry; `created` defaults to now. */
  history?: HistoryEntry;
}

/** A manifest with its config. */
export interface ManifestAndConfig {
  manifest: ImageManifest;
  config: ImageConfig;
}

/**
 * Appends layers: the manifest gains their descriptors, the config their
 * diff_ids and history entries, and `created` moves to the last entry's time.
 * The manifest's config descriptor is left for the caller to update once the
 * new config is stored.
 */
export function appendLayers(base: ManifestAndConfig, layers: readonly AppendedLayer[], now: Date = new Date()): ManifestAndConfig {
  const created = now.toISOString();
  const history = [...(base.config.history ?? [])];
  for (const l of layers) history.push({ created, ...l.history });
  const last = history[history.length - 1]?.created ?? created;
  return {
    manifest: { ...base.manifest, layers: [...base.manifest.layers, ...layers.map((l) => l.descriptor)] },
    config: {
      ...base.config,
      created: layers.length > 0 ? last : base.config.created,
      rootfs: { type: 'layers', diff_ids: [...base.config.rootfs.diff_ids, ...layers.map((l) => l.diffId)] },
      history,
    },
  };
}

/** Returns `config` with the runtime fields in `changes` replaced (`undefined` values are removed). */
export function setConfig(config: ImageConfig, changes: Partial<ContainerConfig>): ImageConfig {
  const merged: ContainerConfig = { ...config.config };
  for (const [k, v] of Object.entries(changes) as [keyof ContainerConfig, ContainerConfig[keyof ContainerConfig]][]) {
    if (v === undefined) delete merged[k];
    else (merged as Record<string, unknown>)[k] = v;
  }
  return { ...config, config: merged };
}

/** Returns `config` with an empty-layer history entry added (for config-only changes such as `ENV`). */
export function addHistory(config: ImageConfig, entry: HistoryEntry, now: Date = new Date()): ImageConfig {
  return { ...config, history: [...(config.history ?? []), { created: now.toISOString(), empty_layer: true, ...entry }] };
}

/** Returns `manifest` pointing at a new config blob. */
export function setConfigDescriptor(manifest: ImageManifest, descriptor: Descriptor): ImageManifest {
  return { ...manifest, config: descriptor };
}
