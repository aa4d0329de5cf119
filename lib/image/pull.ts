/**
 * Pulling an image: manifest (and platform choice from an index), config, and
 * layers fetched concurrently and streamed to disk through the hasher.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ImageError } from '../errors.js';
import { logger } from '../log.js';
import type { Descriptor, ImageConfig, ImageIndex, ImageManifest, Platform } from '../oci/image-types.js';
import { isIndexMediaType } from '../oci/media-types.js';
import { parseReference } from '../reference/index.js';
import { Registry } from '../registry/registry.js';
import { fetchBlob } from '../store/blob-writer.js';
import { REF_NAME, REPO_DIGEST, refOf, Store } from '../store/index.js';
import { fetchWorkerAvailable } from '../util/blob-fetcher.js';
import { checkConfigDescriptor, parseImageConfig } from './config-read.js';
import { Image } from './image.js';
import { refKey } from './lookup.js';
import type { PullOptions } from './options.js';
import { hostPlatform, platformOption, selectManifest } from './platform.js';
import { blobReporter, mapLimit } from './progress.js';

const log = logger('image');

/** Checks that a manifest is an image manifest whose config agrees with it. */
export function checkImage(manifest: ImageManifest, config: ImageConfig, what: string): void {
  const diffIds = config.rootfs?.diff_ids;
  if (!Array.isArray(diffIds) || diffIds.length !== manifest.layers.length) {
    throw new ImageError('ERR_IMAGE_INVALID', `${what}: config lists ${diffIds?.length ?? 0} layers, manifest ${manifest.layers.length}`);
  }
}

/** Pulls `refText` into the store. */
export async function pullImage(refText: string, opts: PullOptions): Promise<Image> {
  const ref = parseReference(refText);
  // checked before any I/O: a bad platform string is refused even for a single-platform image
  const platform: Platform = opts.platform !== undefined ? platformOption(opts.platform) : hostPlatform();
  // Start the download workers now: their start-up (a few tens of ms in a fresh process)
  // then overlaps the manifest round trips instead of delaying the first layer.
  fetchWorkerAvailable();
  const store = await Store.open(opts.root);
  const registry = new Registry(ref.domain, opts);
  const lease = await store.lease();
  try {
    const top = await registry.getManifest(ref.path, ref.identifier, opts.signal);
    let chosen = top;
    if (isIndexMediaType(top.mediaType)) {
      const desc = selectManifest(top.manifest as ImageIndex, platform);
      log('%s: index %s → %s', refText, top.digest, desc.digest);
      chosen = await registry.getManifest(ref.path, desc.digest, opts.signal);
      if (isIndexMediaType(chosen.mediaType)) throw new ImageError('ERR_IMAGE_INVALID', `nested index ${desc.digest} is not supported`);
    }
    const manifest = chosen.manifest as ImageManifest;
    await lease.add([chosen.digest, manifest.config.digest, ...manifest.layers.map((l) => l.digest)]);

    // Layers start downloading at once, beside the config: a config that does not
    // match the manifest aborts them.
    const stop = new AbortController();
    const signal = opts.signal !== undefined ? AbortSignal.any([opts.signal, stop.signal]) : stop.signal;
    const layersDone = pullLayers(store, registry, ref.path, manifest.layers, { ...opts, signal });
    layersDone.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    // The manifest blob (leased, named by nothing yet) is stored meanwhile too.
    const manifestDone = store.putBytes(chosen.bytes, chosen.digest);
    manifestDone.catch(() => undefined);
    let configBytes: Buffer;
    let config: ImageConfig;
    try {
      const cfgDesc = manifest.config;
      checkConfigDescriptor(cfgDesc, refText);
      if (await store.hasBlob(cfgDesc.digest, cfgDesc.size)) {
        configBytes = await store.readBytes(cfgDesc.digest);
      } else {
        configBytes = await registry.blobBytes(ref.path, cfgDesc.digest, { size: cfgDesc.size, signal: opts.signal });
        await store.putBytes(configBytes, cfgDesc.digest);
      }
      config = parseImageConfig(configBytes, refText);
      checkImage(manifest, config, refText);
    } catch (err) {
      stop.abort(err);
      await Promise.allSettled([layersDone, manifestDone]);
      throw err;
    }
    await layersDone;
    await manifestDone;
    const descriptor: Descriptor = { mediaType: chosen.mediaType, digest: chosen.digest, size: chosen.bytes.length };
    const key = refKey(ref);
    await store.updateIndex((index) => {
      index.manifests = index.manifests.filter((d) => refOf(d) !== key);
      index.manifests.push({ ...descriptor, annotations: { [REF_NAME]: key, [REPO_DIGEST]: top.digest } });
    });
    return new Image(store, descriptor, manifest, config);
  } finally {
    await lease.release();
    registry.close();
  }
}

/** Downloads the layers the store lacks (each digest once), `opts.concurrency` (3) at a time. */
async function pullLayers(store: Store, registry: Registry, repo: string, layers: readonly Descriptor[], opts: PullOptions & { signal: AbortSignal }): Promise<void> {
  const unique = [...new Map(layers.map((l) => [l.digest, l])).values()];
  const reporters = new Map(unique.map((l) => [l.digest, blobReporter(opts.onProgress, l.digest, l.size)]));
  for (const l of unique) reporters.get(l.digest)?.('waiting', 0);
  await mapLimit(unique, opts.concurrency ?? 3, async (layer: Descriptor) => {
    const report = reporters.get(layer.digest) ?? (() => undefined);
    if (await store.hasBlob(layer.digest, layer.size)) {
      report('exists', layer.size);
      return;
    }
    if (layer.urls !== undefined && layer.urls.length > 0) {
      throw new ImageError('ERR_FOREIGN_LAYER', `layer ${layer.digest} is non-distributable (foreign URLs are not fetched)`);
    }
    opts.signal.throwIfAborted();
    report('downloading', 0);
    const onData = (n: number): void => {
      report(n >= layer.size ? 'verifying' : 'downloading', n);
    };
    // A layer is downloaded on the fetch worker (HTTP parsing, write, sha256 and
    // fsync off the event loop) unless it hands the request back.
    if (fetchWorkerAvailable()) {
      const job = await registry.transport.plainGet(`/v2/${repo}/blobs/${layer.digest}`, [`repository:${repo}:pull`]);
      await mkdir(dirname(store.blobPath(layer.digest)), { recursive: true });
      const done = await fetchBlob({ ...job, maxResumes: 5 }, store.ingestDir, (d) => store.blobPath(d), {
        expected: layer.digest,
        size: layer.size,
        signal: opts.signal,
        onData,
      });
      if (done !== undefined) {
        report('complete', layer.size);
        return;
      }
    }
    const stream = registry.openBlob(repo, layer.digest, { size: layer.size, signal: opts.signal });
    await store.writeBlob(stream, {
      expected: layer.digest,
      size: layer.size,
      signal: opts.signal,
      onData,
    });
    report('complete', layer.size);
  });
}
