/**
 * Options of layer application.
 *
 * @module
 */

/** One contiguous range of an id mapping, as in the OCI runtime spec. */
export interface IdMapping {
  /** First id inside the container. */
  containerID: number;
  /** First id on the host. */
  hostID: number;
  /** Number of ids in the range. */
  size: number;
}

/** How layer ownership maps to host ids (for rootless use). */
export interface IdMap {
  /** User id ranges. */
  uids: IdMapping[];
  /** Group id ranges. */
  gids: IdMapping[];
}

/** How whiteouts are written. */
export type WhiteoutMode =
  /** Apply them: delete from the directory (it holds the lower layers already). */
  | 'merge'
  /** Keep them as overlayfs expects in a lower dir: char device 0/0, and `trusted.overlay.opaque=y`. */
  | 'overlay';

/** Options of {@link applyLayer} and {@link unpackLayers}. */
export interface ApplyOptions {
  /** How whiteouts are written; `merge` by default. */
  whiteouts?: WhiteoutMode;
  /**
   * Whether device nodes, setuid/setgid bits, ownership and non-`user.` xattrs are kept.
   * Defaults to `true` when running as root, else `false`.
   */
  privileged?: boolean;
  /** What to do with what {@link ApplyOptions.privileged} forbids: drop it (`skip`, the default) or fail (`error`). */
  onRefused?: 'skip' | 'error';
  /** Whether xattrs of entries are written (default `true`). */
  xattrs?: boolean;
  /** Maps layer uids/gids to host ids; unmapped ids are an error. */
  idMap?: IdMap;
  /**
   * Overlay mode only: the trees of the lower layers, topmost first. A hardlink
   * whose target is in a lower layer becomes a copy of that file.
   */
  lowerdirs?: readonly string[];
  /** Cap on the uncompressed size of one layer, in bytes (default 64 GiB). */
  maxSize?: number;
}

/** Default cap on the uncompressed size of a layer. */
export const DEFAULT_MAX_LAYER_SIZE = 64 * 2 ** 30;
