/**
 * `Image.save`: images to a tar, as `docker save` writes it (manifest.json,
 * repositories, blobs — plus oci-layout/index.json as Docker 25 does) or as
 * an OCI layout tar.
 *
 * @module
 */
import { copyFile, link, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { create } from 'tar';
import type { Descriptor } from '../oci/image-types.js';
import { parseReference } from '../reference/index.js';
import { Store } from '../store/index.js';
import { ingestPath } from '../store/ingest.js';
import { Image } from './image.js';
import { findImages } from './lookup.js';
import type { SaveOptions } from './options.js';

async function place(store: Store, dir: string, digest: string): Promise<string> {
  const hex = digest.slice(digest.indexOf(':') + 1);
  const alg = digest.slice(0, digest.indexOf(':'));
  const rel = `blobs/${alg}/${hex}`;
  await mkdir(join(dir, 'blobs', alg), { recursive: true });
  try {
    await link(store.blobPath(digest), join(dir, rel));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return rel;
    if (code !== 'EXDEV' && code !== 'EPERM') throw err;
    await copyFile(store.blobPath(digest), join(dir, rel));
  }
  return rel;
}

/** Writes `refs` to `file`. */
export async function saveArchive(refs: string[], file: string, opts: SaveOptions): Promise<void> {
  const store = await Store.open(opts.root);
  const format = opts.format ?? 'docker-archive';
  const staging = ingestPath(store.ingestDir, 'save');
  await mkdir(staging, { recursive: true });
  try {
    const dockerManifest: { Config: string; RepoTags: string[]; Layers: string[] }[] = [];
    const repositories: Record<string, Record<string, string>> = {};
    const index: Descriptor[] = [];
    for (const text of refs) {
      const found = await findImages(store, text);
      const image = found[0] as Image;
      if (found.length !== 1) await Image.get(text, opts); // throws the not-found / ambiguous error
      const ref = /^(sha256:)?[0-9a-f]{6,64}$/.test(text) ? undefined : parseReference(text);
      const tag = ref?.tag !== undefined && ref.digest === undefined ? ref.familiar() : undefined;
      await place(store, staging, image.digest);
      const config = await place(store, staging, image.id);
      const layers: string[] = [];
      for (const l of image.layers) layers.push(await place(store, staging, l.digest));
      const prior = dockerManifest.find((m) => m.Config === config);
      if (prior !== undefined) {
        if (tag !== undefined && !prior.RepoTags.includes(tag)) prior.RepoTags.push(tag);
      } else {
        dockerManifest.push({ Config: config, RepoTags: tag !== undefined ? [tag] : [], Layers: layers });
      }
      if (ref !== undefined && ref.tag !== undefined) {
        const name = ref.familiar().slice(0, ref.familiar().lastIndexOf(':'));
        const top = image.config.rootfs.diff_ids.at(-1);
        repositories[name] = { ...repositories[name], [ref.tag]: top?.slice(top.indexOf(':') + 1) ?? '' };
      }
      const annotations: Record<string, string> = {};
      if (ref !== undefined) {
        annotations['io.containerd.image.name'] = ref.toString();
        annotations['org.opencontainers.image.ref.name'] = ref.tag ?? ref.toString();
      }
      index.push({ mediaType: image.descriptor.mediaType, digest: image.digest, size: image.descriptor.size, annotations });
    }
    await writeFile(join(staging, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
    await writeFile(join(staging, 'index.json'), JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: index }));
    const entries = ['oci-layout', 'index.json', 'blobs'];
    if (format === 'docker-archive') {
      await writeFile(join(staging, 'manifest.json'), JSON.stringify(dockerManifest));
      await writeFile(join(staging, 'repositories'), JSON.stringify(repositories));
      entries.push('manifest.json', 'repositories');
    }
    await create({ file, cwd: staging, portable: true, noMtime: false, mtime: new Date(0) }, entries);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
