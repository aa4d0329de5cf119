/**
 * Pushing an image: layers concurrently (HEAD to skip, cross-repository mount
 * where the image came from the same registry), then the config, then the manifest.
 *
 * @module
 */
import { ImageError } from '../errors.js';
import type { Digest } from '../oci/digest.js';
import type { Descriptor } from '../oci/image-types.js';
import { parseReference } from '../reference/index.js';
import { fileSource } from '../registry/blob-source.js';
import { Registry } from '../registry/registry.js';
import type { Image } from './image.js';
import type { PushOptions } from './options.js';
import { blobReporter, mapLimit } from './progress.js';

/** Pushes `image` to `refText`; resolves with the manifest digest. */
export async function pushImage(image: Image, refText: string, opts: PushOptions): Promise<Digest> {
  const ref = parseReference(refText);
  const registry = new Registry(ref.domain, opts);
  try {
    const mountFrom = [
      ...new Set(
        (await image.references())
          .map((r) => parseReference(r))
          .filter((r) => r.domain === ref.domain && r.path !== ref.path)
          .map((r) => r.path),
      ),
    ];
    const unique = [...new Map(image.manifest.layers.map((l) => [l.digest, l])).values()];
    for (const l of unique) {
      if ((await image.store.blobSize(l.digest)) !== l.size) {
        throw new ImageError('ERR_LAYER_MISSING', `layer ${l.digest} of ${image.digest} is not in the store`);
      }
    }
    await mapLimit(unique, opts.concurrency ?? 3, async (layer: Descriptor) => {
      const report = blobReporter(opts.onProgress, layer.digest, layer.size);
      report('waiting', 0);
      const result = await registry.uploadBlob(ref.path, layer.digest, fileSource(image.store.blobPath(layer.digest), layer.size), {
        mountFrom,
        signal: opts.signal,
        onProgress: (n) => report('uploading', n),
      });
      report(result === 'uploaded' ? 'complete' : result, layer.size);
    });
    const cfg = image.manifest.config;
    await registry.uploadBlob(ref.path, cfg.digest, await image.store.readBytes(cfg.digest), { mountFrom, signal: opts.signal });
    const bytes = await image.store.readBytes(image.digest, 4 * 1024 * 1024);
    return await registry.putManifest(ref.path, ref.digest ?? ref.tag ?? image.digest, bytes, image.descriptor.mediaType, opts.signal);
  } finally {
    registry.close();
  }
}
