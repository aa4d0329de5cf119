/**
 * Options of the image operations.
 *
 * @module
 */
import type { Platform } from '../oci/image-types.js';
import type { RegistryOptions } from '../registry/options.js';
import type { ProgressListener } from './progress.js';

/** Which storage root an operation works on. */
export interface StoreOptions {
  /** Storage root (default `$OCIKIT_ROOT`, else `/var/lib/ocikit` as root, else XDG). */
  root?: string;
}

/** Options of {@link Image.pull}. */
export interface PullOptions extends RegistryOptions, StoreOptions {
  /** Platform to pick from a multi-platform index: `os/arch[/variant]` or an object (default: the host's). */
  platform?: string | Platform;
  /** Called with per-layer progress. */
  onProgress?: ProgressListener;
  /** Aborts the pull. */
  signal?: AbortSignal;
  /** Layers downloaded at once (default 3). */
  concurrency?: number;
}

/** Options of {@link Image.push}. */
export interface PushOptions extends RegistryOptions {
  /** Called with per-layer progress. */
  onProgress?: ProgressListener;
  /** Aborts the push. */
  signal?: AbortSignal;
  /** Layers uploaded at once (default 3). */
  concurrency?: number;
}

/** Options of {@link Image.remove}. */
export interface RemoveOptions extends StoreOptions {
  /** Remove an image named by ID even when several references name it. */
  force?: boolean;
}

/** Formats of {@link Image.save}. */
export type ArchiveFormat = 'docker-archive' | 'oci-archive';

/** Options of {@link Image.save}. */
export interface SaveOptions extends StoreOptions {
  /** `docker-archive` (what `docker save` writes; default) or `oci-archive`. */
  format?: ArchiveFormat;
}
