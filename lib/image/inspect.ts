/**
 * `docker image inspect` and `docker history` views of an image.
 *
 * @module
 */
import type { ContainerConfig, Descriptor, HistoryEntry } from '../oci/image-types.js';
import { parseReference } from '../reference/index.js';
import { refOf, REPO_DIGEST } from '../store/index.js';
import type { Image } from './image.js';

/** What `docker image inspect` shows for an image. */
export interface ImageInspect {
  /** Image ID (config digest). */
  Id: string;
  /** `name:tag` references, in Docker's familiar form. */
  RepoTags: string[];
  /** `name@digest` references to the digest the registry served. */
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  DockerVersion: string;
  Author: string;
  Config: ContainerConfig;
  Architecture: string;
  Variant?: string;
  Os: string;
  /** Bytes of the stored (compressed) layers. */
  Size: number;
  RootFS: { Type: string; Layers: string[] };
  /** The config's history entries, oldest first. */
  History: { Created?: string; CreatedBy?: string; Comment?: string; EmptyLayer?: boolean }[];
  /** Digest and media type of the manifest. */
  Descriptor: { mediaType: string; digest: string; size: number };
}

/** One line of `docker history`. */
export interface HistoryItem {
  /** Layer digest for entries that made a layer, else `<missing>`. */
  id: string;
  created: string | undefined;
  createdBy: string;
  /** Compressed size of the layer (0 for empty layers). */
  size: number;
  comment: string;
  emptyLayer: boolean;
}

/** Builds the inspect view from the image and its index entries. */
export function inspectImage(image: Image, entries: Descriptor[]): ImageInspect {
  const tags = new Set<string>();
  const digests = new Set<string>();
  for (const d of entries) {
    const name = refOf(d);
    if (name === undefined) continue;
    const ref = parseReference(name);
    const familiarName = parseReference(`${ref.name}:x`).familiar().slice(0, -2);
    if (ref.digest === undefined && ref.tag !== undefined) tags.add(ref.familiar());
    digests.add(`${familiarName}@${d.annotations?.[REPO_DIGEST] ?? ref.digest ?? image.digest}`);
  }
  const c = image.config;
  return {
    Id: image.id,
    RepoTags: [...tags],
    RepoDigests: [...digests],
    Parent: '',
    Comment: c.history?.at(-1)?.comment ?? '',
    Created: c.created ?? '0001-01-01T00:00:00Z',
    DockerVersion: c.docker_version ?? '',
    Author: c.author ?? '',
    Config: c.config ?? {},
    Architecture: c.architecture,
    ...(c.variant !== undefined ? { Variant: c.variant } : {}),
    Os: c.os,
    Size: image.manifest.layers.reduce((n, l) => n + l.size, 0),
    RootFS: { Type: c.rootfs?.type ?? 'layers', Layers: [...(c.rootfs?.diff_ids ?? [])] },
    History: (c.history ?? []).map((h) => ({ Created: h.created, CreatedBy: h.created_by, Comment: h.comment, EmptyLayer: h.empty_layer })),
    Descriptor: { mediaType: image.descriptor.mediaType, digest: image.digest, size: image.descriptor.size },
  };
}

/** History newest first; entries without config history get one line per layer. */
export function historyOf(image: Image): HistoryItem[] {
  const layers = image.manifest.layers;
  const hist: HistoryEntry[] = image.config.history ?? layers.map(() => ({}));
  let li = 0;
  const out: HistoryItem[] = hist.map((h) => {
    const empty = h.empty_layer === true;
    const layer = empty ? undefined : layers[li++];
    return {
      id: layer?.digest ?? '<missing>',
      created: h.created,
      createdBy: h.created_by ?? '',
      size: layer?.size ?? 0,
      comment: h.comment ?? '',
      emptyLayer: empty,
    };
  });
  return out.reverse();
}
