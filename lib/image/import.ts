/**
 * `docker import`: a root file system tar becomes a one-layer image; plus the
 * two steps every image-making operation shares (storing a layer blob written
 * in one pass, storing a manifest and config and tagging them).
 *
 * @module
 */
import { open } from 'node:fs/promises';
import { PassThrough, Readable, Transform, type Writable } from 'node:stream';
import { Parser, type ReadEntry } from 'tar';
import { DigestMismatchError, ImageError } from '../errors.js';
import type { Descriptor, ImageConfig, ImageManifest } from '../oci/image-types.js';
import { MediaType } from '../oci/media-types.js';
import { parseReference } from '../reference/index.js';
import { REF_NAME, refOf, Store, type Lease } from '../store/index.js';
import { Decompressor, sniffCompression } from '../layer/compression.js';
import { importTar } from '../layer/export.js';
import type { LayerBlob } from '../layer/diff-writer.js';
import { DEFAULT_MAX_LAYER_SIZE } from '../layer/options.js';
import { applyConfigChanges } from './config-changes.js';
import { Image } from './image.js';
import { refKey } from './lookup.js';
import type { StoreOptions } from './options.js';
import { hostPlatform, parsePlatform } from './platform.js';

/** Options of {@link Image.import}. */
export interface ImportOptions extends StoreOptions {
  /** Reference to tag the image with (`name[:tag]`); untagged when absent. */
  ref?: string;
  /** Dockerfile instructions applied to the config (`CMD ["sh"]`, `ENV A=1` …). */
  changes?: readonly string[];
  /** History comment; default `Imported from <source>`. */
  message?: string;
  /** `os/arch[/variant]` of the image (default: the host's). */
  platform?: string;
  /** What the history says the tar came from when `message` is absent (default: the file name, or `-` for a stream). */
  source?: string;
}

/**
 * Streams a layer into the store: `write` writes the compressed blob to the
 * stream it is given (computing digest and diff_id); the blob appears in the
 * store once verified and is added to `lease` at once.
 */
export async function storeLayer(store: Store, lease: Lease, write: (dest: Writable) => Promise<LayerBlob>): Promise<LayerBlob> {
  const pass = new PassThrough({ highWaterMark: 1 << 20 });
  const stored = store.writeBlob(pass);
  let blob: LayerBlob;
  try {
    blob = await write(pass);
  } catch (err) {
    pass.destroy(err as Error);
    await stored.catch(() => undefined);
    throw err;
  }
  const { digest, size } = await stored;
  await lease.add([digest]);
  if (digest !== blob.digest || size !== blob.size) throw new DigestMismatchError(blob.digest, digest, 'written layer');
  return blob;
}

/** Stores `config` and `manifest` (pointed at the stored config) and tags it `ref` (when given); resolves with the image. */
export async function storeImage(store: Store, manifest: ImageManifest, config: ImageConfig, ref?: string): Promise<Image> {
  const configBytes = Buffer.from(JSON.stringify(config));
  const configDigest = await store.putBytes(configBytes);
  const full: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaType.OciManifest,
    config: { mediaType: MediaType.OciConfig, digest: configDigest, size: configBytes.length },
    layers: manifest.layers,
    ...(manifest.annotations !== undefined ? { annotations: manifest.annotations } : {}),
  };
  const bytes = Buffer.from(JSON.stringify(full));
  const digest = await store.putBytes(bytes);
  const descriptor: Descriptor = { mediaType: MediaType.OciManifest, digest, size: bytes.length };
  const key = ref !== undefined ? refKey(parseReference(ref)) : undefined;
  await store.updateIndex((index) => {
    if (key !== undefined) {
      index.manifests = index.manifests.filter((d) => refOf(d) !== key);
      index.manifests.push({ ...descriptor, annotations: { [REF_NAME]: key } });
    } else if (!index.manifests.some((d) => d.digest === digest)) {
      index.manifests.push(descriptor);
    }
  });
  return new Image(store, descriptor, full, config);
}

/** Passes a tar through unchanged while a strict parser checks it is one (headers, checksums, sizes, end). */
function checkedTar(): Transform {
  const parser = new Parser({ strict: true, maxMetaEntrySize: 1 << 20 });
  let failure: Error | undefined;
  let entries = 0;
  parser.on('error', (err: Error) => {
    failure ??= err;
  });
  parser.on('entry', (entry: ReadEntry) => {
    entries++;
    entry.resume();
  });
  const bad = (err: Error): ImageError => new ImageError('ERR_IMPORT_INVALID', `not a valid tar archive: ${err.message}`, { cause: err });
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (failure !== undefined) return cb(bad(failure));
      parser.write(chunk);
      cb(failure === undefined ? null : bad(failure), chunk);
    },
    flush(cb) {
      parser.end();
      if (failure === undefined && entries === 0) failure = new Error('no entries');
      cb(failure === undefined ? null : bad(failure));
    },
  });
}

/** The tar inside `source`, decompressed when its first bytes show gzip or zstd. */
async function plainTar(source: Readable): Promise<Readable> {
  const it = (source as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let done = false;
  while (head.length < 4) {
    const r = await it.next();
    if (r.done === true) {
      done = true;
      break;
    }
    head = Buffer.concat([head, Buffer.from(r.value)]);
  }
  const rest = Readable.from(
    (async function* () {
      if (head.length > 0) yield head;
      if (done) return;
      for (let r = await it.next(); r.done !== true; r = await it.next()) yield Buffer.from(r.value);
    })(),
  );
  const kind = sniffCompression(head);
  const check = checkedTar();
  if (kind === 'none') {
    rest.on('error', (e) => check.destroy(e));
    return rest.pipe(check);
  }
  const dec = new Decompressor(kind, DEFAULT_MAX_LAYER_SIZE);
  rest.on('error', (e) => dec.destroy(e));
  dec.on('error', (e) => check.destroy(e));
  return rest.pipe(dec).pipe(check);
}

/**
 * Imports a root file system tar (plain, gzip or zstd; a file path or a
 * stream) as a one-layer gzip image, as `docker import` does.
 */
/** The tar at `path` as a stream; a file that cannot be opened is an ImageError before any work. */
async function openSource(path: string): Promise<Readable> {
  try {
    return (await open(path, 'r')).createReadStream({ highWaterMark: 1 << 20 });
  } catch (cause) {
    throw new ImageError('ERR_IMPORT_SOURCE', `cannot read ${path}: ${(cause as Error).message}`, { cause });
  }
}

export async function importImage(source: Readable | string, opts: ImportOptions = {}): Promise<Image> {
  const input = typeof source === 'string' ? await openSource(source) : source;
  const store = await Store.open(opts.root);
  const from = opts.source ?? (typeof source === 'string' ? source : '-');
  const platform = opts.platform !== undefined ? parsePlatform(opts.platform) : hostPlatform();
  if (opts.ref !== undefined) parseReference(opts.ref); // refuse a bad reference before any work
  const runtime = applyConfigChanges({}, opts.changes ?? []);
  const lease = await store.lease();
  try {
    const tar = await plainTar(input);
    const blob = await storeLayer(store, lease, (dest) => importTar(tar, dest, { compression: 'gzip' }));
    const created = new Date().toISOString();
    const config: ImageConfig = {
      created,
      architecture: platform.architecture,
      os: platform.os,
      ...(platform.variant !== undefined ? { variant: platform.variant } : {}),
      config: runtime,
      rootfs: { type: 'layers', diff_ids: [blob.diffId] },
      history: [{ created, comment: opts.message ?? `Imported from ${from}` }],
    };
    const manifest: ImageManifest = {
      schemaVersion: 2,
      config: { mediaType: MediaType.OciConfig, digest: blob.digest, size: 0 },
      layers: [{ mediaType: blob.mediaType, digest: blob.digest, size: blob.size }],
    };
    return await storeImage(store, manifest, config, opts.ref);
  } finally {
    await lease.release();
  }
}
