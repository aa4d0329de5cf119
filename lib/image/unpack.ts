/**
 * `image.unpack(dir)`: every layer of an image applied in order into an empty
 * directory, as `umoci unpack` gives `rootfs/`.
 *
 * @module
 */
import { ImageError } from '../errors.js';
import { unpackLayers, type ApplyResult, type LayerSource } from '../layer/apply.js';
import type { ApplyOptions } from '../layer/options.js';
import type { Image } from './image.js';

/** The layers of `image` as sources read from its store, with digests and diff_ids to check. */
export function layerSources(image: Image): LayerSource[] {
  const diffIds = image.config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== image.layers.length) {
    throw new ImageError('ERR_IMAGE_INVALID', `image ${image.digest}: config lists ${diffIds.length} layers, manifest ${image.layers.length}`);
  }
  return image.layers.map((d, i) => ({ path: image.store.blobPath(d.digest), mediaType: d.mediaType, digest: d.digest, diffId: diffIds[i] as string }));
}

/** Applies every layer of `image` into `dir` (empty or missing). */
export async function unpackImage(image: Image, dir: string, options: ApplyOptions = {}): Promise<ApplyResult[]> {
  const layers = layerSources(image);
  for (const l of image.layers) {
    if (!(await image.store.hasBlob(l.digest, l.size))) {
      throw new ImageError('ERR_IMAGE_INCOMPLETE', `layer ${l.digest} of image ${image.digest} is not in the store`);
    }
  }
  return unpackLayers(layers, dir, options);
}
