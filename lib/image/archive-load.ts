/**
 * `Image.load`: images from a `docker save` tar (manifest.json) or an OCI
 * layout tar (index.json). Every blob is verified as it enters the store.
 *
 * @module
 */
import { createReadStream } from 'node:fs';
import { open, mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { extract } from 'tar';
import { ImageError } from '../errors.js';
import { isDigest } from '../oci/digest.js';
import type { Descriptor, ImageIndex, ImageManifest } from '../oci/image-types.js';
import { isIndexMediaType, MediaType } from '../oci/media-types.js';
import { parseReference } from '../reference/index.js';
import { REF_NAME, refOf, Store } from '../store/index.js';
import { ingestPath } from '../store/ingest.js';
import { Image } from './image.js';
import { refKey } from './lookup.js';
import type { StoreOptions } from './options.js';

function inside(dir: string, rel: string): string {
  const n = normalize(rel);
  if (n.startsWith('..') || n.startsWith('/')) throw new ImageError('ERR_ARCHIVE_INVALID', `archive path ${JSON.stringify(rel)} escapes the archive`);
  return join(dir, n);
}

async function importFile(store: Store, path: string, expected?: string): Promise<{ digest: string; size: number }> {
  return store.writeBlob(createReadStream(path), expected !== undefined ? { expected } : {});
}

async function importDescriptor(store: Store, dir: string, d: Descriptor): Promise<void> {
  if (!isDigest(d.digest)) throw new ImageError('ERR_ARCHIVE_INVALID', `bad digest ${d.digest}`);
  const path = inside(dir, `blobs/${d.digest.replace(':', '/')}`);
  if (!(await store.hasBlob(d.digest, d.size))) await importFile(store, path, d.digest);
  if (isIndexMediaType(d.mediaType)) {
    const idx = JSON.parse(await readFile(path, 'utf8')) as ImageIndex;
    for (const m of idx.manifests) await importDescriptor(store, dir, m);
  } else if (d.mediaType === MediaType.OciManifest || d.mediaType === MediaType.DockerManifest) {
    const m = JSON.parse(await readFile(path, 'utf8')) as ImageManifest;
    for (const c of [m.config, ...m.layers]) await importDescriptor(store, dir, c);
  }
}

async function magic(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(4);
    await fh.read(buf, 0, 4, 0);
    return buf;
  } finally {
    await fh.close();
  }
}

async function layerType(path: string): Promise<string> {
  const m = await magic(path);
  if (m[0] === 0x1f && m[1] === 0x8b) return MediaType.OciLayerGzip;
  if (m.readUInt32LE(0) === 0xfd2fb528) return MediaType.OciLayerZstd;
  return MediaType.OciLayer;
}

interface DockerEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

/** Loads the images of the archive `file` into the store. */
export async function loadArchive(file: string, opts: StoreOptions): Promise<Image[]> {
  const store = await Store.open(opts.root);
  const dir = ingestPath(store.ingestDir, 'load');
  await mkdir(dir, { recursive: true });
  const lease = await store.lease();
  try {
    await extract({ file, cwd: dir, strict: true, preservePaths: false, preserveOwner: false });
    const named: { descriptor: Descriptor; refs: string[] }[] = [];
    const hasIndex = await stat(join(dir, 'index.json')).then(() => true, () => false);
    const hasDocker = await stat(join(dir, 'manifest.json')).then(() => true, () => false);
    const dockerEntries: DockerEntry[] = hasDocker ? (JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as DockerEntry[]) : [];
    if (hasIndex) {
      const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as ImageIndex;
      for (const d of index.manifests) {
        await lease.add([d.digest]);
        await importDescriptor(store, dir, d);
        const refs: string[] = [];
        const full = d.annotations?.['io.containerd.image.name'] ?? d.annotations?.[REF_NAME];
        if (full !== undefined && /[/:@]/.test(full)) refs.push(full);
        named.push({ descriptor: { mediaType: d.mediaType, digest: d.digest, size: d.size }, refs });
      }
      if (hasDocker) {
        for (const e of dockerEntries) {
          for (const n of named) {
            const m = JSON.parse((await store.readBytes(n.descriptor.digest)).toString('utf8')) as ImageManifest;
            if (m.config !== undefined && e.Config.endsWith(m.config.digest.slice(7))) n.refs.push(...(e.RepoTags ?? []));
          }
        }
      }
    } else if (hasDocker) {
      for (const e of dockerEntries) {
        const cfg = await importFile(store, inside(dir, e.Config));
        const layers: Descriptor[] = [];
        for (const rel of e.Layers) {
          const path = inside(dir, rel);
          const { digest, size } = await importFile(store, path);
          layers.push({ mediaType: await layerType(path), digest: digest as Descriptor['digest'], size });
        }
        const manifest: ImageManifest = {
          schemaVersion: 2,
          mediaType: MediaType.OciManifest,
          config: { mediaType: MediaType.OciConfig, digest: cfg.digest as Descriptor['digest'], size: cfg.size },
          layers,
        };
        const bytes = Buffer.from(JSON.stringify(manifest));
        const digest = await store.putBytes(bytes);
        named.push({ descriptor: { mediaType: MediaType.OciManifest, digest, size: bytes.length }, refs: e.RepoTags ?? [] });
      }
    } else {
      throw new ImageError('ERR_ARCHIVE_INVALID', `${file} holds neither manifest.json nor index.json`);
    }
    // read (and so validate) every image before any of them is named in the index
    const images = await Promise.all(named.map((n) => Image.fromStore(store, n.descriptor)));
    await store.updateIndex((index) => {
      for (const n of named) {
        const keys = [...new Set(n.refs.map((r) => refKey(parseReference(r))))];
        index.manifests = index.manifests.filter((d) => !keys.includes(refOf(d) ?? '') && !(keys.length === 0 && d.digest === n.descriptor.digest && refOf(d) === undefined));
        if (keys.length === 0) index.manifests.push(n.descriptor);
        for (const k of keys) index.manifests.push({ ...n.descriptor, annotations: { [REF_NAME]: k } });
      }
    });
    return images;
  } finally {
    await lease.release();
    await rm(dir, { recursive: true, force: true });
  }
}

