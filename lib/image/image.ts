/**
 * `Image`: an image in the local store (manifest + config + layers).
 *
 * @module
 */
import { ImageError, ImageInUseError } from '../errors.js';
import type { Digest } from '../oci/digest.js';
import type { Descriptor, ImageConfig, ImageManifest } from '../oci/image-types.js';
import { parseReference } from '../reference/index.js';
import { collectGarbage, REF_NAME, refOf, Store } from '../store/index.js';
import { storageFor } from '../storage.js';
import { loadArchive } from './archive-load.js';
import { readImageConfig } from './config-read.js';
import { saveArchive } from './archive-save.js';
import { historyOf, inspectImage, type HistoryItem, type ImageInspect } from './inspect.js';
import type { PullOptions, PushOptions, RemoveOptions, SaveOptions, StoreOptions } from './options.js';
import { findImages, refKey } from './lookup.js';
import { pullImage } from './pull.js';
import { pushImage } from './push.js';
import { importImage, type ImportOptions } from './import.js';
import { unpackImage } from './unpack.js';
import { containersUsing, type ImageUser } from './users.js';
import type { ApplyOptions } from '../layer/options.js';
import type { ApplyResult } from '../layer/apply.js';
import type { Readable } from 'node:stream';

/**
 * An image held in the local store.
 *
 * ```ts
 * const img = await Image.pull('127.0.0.1:5000/busybox:latest');
 * img.digest; img.id; await img.inspect();
 * ```
 */
export class Image {
  /** The store holding the image. @internal */
  readonly store: Store;
  /** Descriptor of the manifest. */
  readonly descriptor: Descriptor;
  /** The image manifest. */
  readonly manifest: ImageManifest;
  /** The image configuration. */
  readonly config: ImageConfig;

  /** @internal Use {@link Image.get} or {@link Image.pull}. */
  constructor(store: Store, descriptor: Descriptor, manifest: ImageManifest, config: ImageConfig) {
    this.store = store;
    this.descriptor = descriptor;
    this.manifest = manifest;
    this.config = config;
  }

  /** Digest of the manifest (what `name@digest` pins). */
  get digest(): Digest {
    return this.descriptor.digest;
  }

  /** Image ID: the digest of the config, as Docker shows it. */
  get id(): Digest {
    return this.manifest.config.digest;
  }

  /** Layer descriptors, base first. */
  get layers(): Descriptor[] {
    return this.manifest.layers;
  }

  /** Total size of manifest, config and (compressed) layers. */
  get size(): number {
    return this.descriptor.size + this.manifest.config.size + this.manifest.layers.reduce((n, l) => n + l.size, 0);
  }

  /** Loads the image whose manifest `descriptor` names from `store`. @internal */
  static async fromStore(store: Store, descriptor: Descriptor): Promise<Image> {
    const manifest = JSON.parse((await store.readBytes(descriptor.digest, 4 * 1024 * 1024)).toString('utf8')) as ImageManifest;
    if (manifest.config === undefined || !Array.isArray(manifest.layers)) {
      throw new ImageError('ERR_IMAGE_INVALID', `${descriptor.digest} is not an image manifest`);
    }
    const config = await readImageConfig(store, manifest.config, descriptor.digest);
    return new Image(store, descriptor, manifest, config);
  }

  /** Pulls an image from its registry into the store (blobs already present are skipped). */
  static pull(ref: string, opts: PullOptions = {}): Promise<Image> {
    return pullImage(ref, opts);
  }

  /**
   * The stored image named by a reference (`busybox`, `host:5000/a/b:t`,
   * `name@sha256:…`) or by an ID or digest (full or a prefix of ≥ 6 hex).
   *
   * @throws ImageError `ERR_IMAGE_NOT_FOUND`, `ERR_IMAGE_AMBIGUOUS`
   */
  static async get(ref: string, opts: StoreOptions = {}): Promise<Image> {
    const store = await Store.open(opts.root);
    const found = await findImages(store, ref);
    if (found.length === 0) throw new ImageError('ERR_IMAGE_NOT_FOUND', `no such image: ${ref}`);
    if (found.length > 1) throw new ImageError('ERR_IMAGE_AMBIGUOUS', `${ref} names ${found.length} images`);
    return found[0] as Image;
  }

  /** Every stored image, once each. */
  static async list(opts: StoreOptions = {}): Promise<Image[]> {
    const store = await Store.open(opts.root);
    const index = await store.readIndex();
    const seen = new Map<string, Descriptor>();
    for (const d of index.manifests) if (!seen.has(d.digest)) seen.set(d.digest, d);
    const out: Image[] = [];
    for (const d of seen.values()) {
      try {
        out.push(await Image.fromStore(store, d));
      } catch (err) {
        if (err instanceof ImageError) continue; // not an image (an artifact): not listed
        throw err;
      }
    }
    return out;
  }

  /**
   * Removes a reference; when `ref` is an ID or digest, every reference of that
   * image (several only with `force`). Unreferenced blobs are then collected, and so are
   * unpacked layers (snapshots) that no remaining image and no container uses.
   * Resolves with the references removed.
   *
   * Removing the last reference of an image that containers (running or not) were created from
   * is refused, as Docker does; with `force` the references go but the image stays, untagged,
   * for as long as it is kept (its containers still run, commit and restart).
   *
   * @throws ImageInUseError `ERR_IMAGE_USED_BY_CONTAINER` naming those containers, unless `force`.
   */
  static async remove(ref: string, opts: RemoveOptions = {}): Promise<string[]> {
    const store = await Store.open(opts.root);
    const image = await Image.get(ref, opts);
    const byName = !/^(sha256:)?[0-9a-f]{6,64}$/.test(ref);
    const key = byName ? refKey(parseReference(ref)) : undefined;
    const users = await containersUsing(store.root, image.id, image.digest);
    const removed = await store.updateIndex((index) => {
      const mine = index.manifests.filter((d) => d.digest === image.digest);
      const targets = key !== undefined ? mine.filter((d) => refOf(d) === key || (refOf(d) === undefined && key.includes('@'))) : mine;
      const names = new Set(mine.map((d) => refOf(d)).filter((r) => r !== undefined));
      if (key === undefined && names.size > 1 && opts.force !== true) {
        throw new ImageError('ERR_IMAGE_IN_USE', `image ${ref} is referenced by ${names.size} references; remove them by name or use force`);
      }
      const gone = targets.length > 0 ? targets : key !== undefined && key.includes('@') ? mine : [];
      const kept = mine.filter((d) => !gone.includes(d));
      let keep: Descriptor | undefined;
      if (users.length > 0 && gone.length > 0 && !kept.some((d) => refOf(d) !== undefined)) {
        if (opts.force !== true) throw inUse(ref, image.id, users);
        // Docker's -f: untagged, but kept for its containers
        if (kept.length === 0) keep = gone[0];
      }
      index.manifests = index.manifests.flatMap((d) => (d === keep ? [untagged(d)] : gone.includes(d) ? [] : [d]));
      return gone.map((d) => refOf(d) ?? d.digest);
    });
    await collectGarbage(store);
    const remaining = await Image.list(opts);
    storageFor(store.root).snapshotter.gc({ images: remaining.map((i) => i.config.rootfs.diff_ids) });
    return removed;
  }

  /** Writes images to a tar archive (`docker-archive` as `docker save`, or `oci-archive`). */
  static save(refs: string | string[], file: string, opts: SaveOptions = {}): Promise<void> {
    return saveArchive(Array.isArray(refs) ? refs : [refs], file, opts);
  }

  /** Loads images from a `docker save` tar or an OCI layout tar; resolves with them. */
  static load(file: string, opts: StoreOptions = {}): Promise<Image[]> {
    return loadArchive(file, opts);
  }

  /**
   * Imports a root file system tar (a file path or a stream; plain, gzip or
   * zstd) as a one-layer image, as `docker import` does: host platform,
   * history "Imported from …", `changes` as Dockerfile instructions, tagged
   * `ref` when given.
   */
  static import(source: Readable | string, opts: ImportOptions = {}): Promise<Image> {
    return importImage(source, opts);
  }

  /** Applies every layer in order into `dir` (empty or missing), like `umoci unpack`'s `rootfs/`. */
  unpack(dir: string, options: ApplyOptions = {}): Promise<ApplyResult[]> {
    return unpackImage(this, dir, options);
  }

  /** References that name this image in the store (full normalised form). */
  async references(): Promise<string[]> {
    const index = await this.store.readIndex();
    return index.manifests.filter((d) => d.digest === this.digest).map((d) => refOf(d)).filter((r): r is string => r !== undefined);
  }

  /** Adds a reference (`name:tag`) to this image, replacing what it named before. */
  async tag(ref: string): Promise<void> {
    const key = refKey(parseReference(ref));
    await this.store.updateIndex((index) => {
      index.manifests = index.manifests.filter((d) => refOf(d) !== key);
      const { annotations: _a, ...rest } = this.descriptor;
      index.manifests.push({ ...rest, annotations: { [REF_NAME]: key } });
    });
  }

  /** Pushes the image to the registry of `ref`; resolves with the manifest digest. */
  push(ref: string, opts: PushOptions = {}): Promise<Digest> {
    return pushImage(this, ref, opts);
  }

  /** What `docker image inspect` shows. */
  async inspect(): Promise<ImageInspect> {
    const index = await this.store.readIndex();
    return inspectImage(this, index.manifests.filter((d) => d.digest === this.digest));
  }

  /** The image's history, newest first, as `docker history` shows it. */
  history(): Promise<HistoryItem[]> {
    return Promise.resolve(historyOf(this));
  }
}


/** The refusal of removing the last reference of an image that containers use, worded as Docker's. */
function inUse(ref: string, id: string, users: ImageUser[]): ImageInUseError {
  const list = users.map((u) => `${u.id.slice(0, 12)} (${u.name}, ${u.status})`).join(', ');
  const what = users.length === 1 ? `container ${list} is` : `containers ${list} are`;
  return new ImageInUseError(`conflict: unable to remove repository reference ${JSON.stringify(ref)} (must force) - ${what} using its referenced image ${id.replace(/^sha256:/, '').slice(0, 12)}`, users.map((u) => u.id));
}

/** `d` without its reference name: an index entry that keeps the image's blobs, listed as `<none>`. */
function untagged(d: Descriptor): Descriptor {
  const { [REF_NAME]: _name, ...rest } = d.annotations ?? {};
  const { annotations: _a, ...plain } = d;
  return Object.keys(rest).length > 0 ? { ...plain, annotations: rest } : plain;
}
