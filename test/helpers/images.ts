/**
 * Test helper: small real images built from scratch (a busybox-static image and
 * a multi-layer one) into an OCI image layout directory, and pushed to a
 * registry with ocikit's own client. Usable by every area's tests.
 */
import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { create } from 'tar';
import { Registry, type RegistryOptions } from '../../lib/registry/index.js';

type Sha = `sha256:${string}`;

/** One built layer. */
export interface BuiltLayer {
  mediaType: string;
  digest: Sha;
  diffId: Sha;
  size: number;
  /** The compressed bytes. */
  blob: Buffer;
}

/** An image built into an OCI layout. */
export interface BuiltImage {
  /** The layout directory. */
  dir: string;
  tag: string;
  layers: BuiltLayer[];
  config: Buffer;
  configDigest: Sha;
  manifest: Buffer;
  manifestDigest: Sha;
}

/** Files of one layer: path → content (string/Buffer) or `{ symlink }`. */
export type LayerFiles = Record<string, string | Buffer | { symlink: string }>;

const sha = (b: Buffer): Sha => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** Builds a gzip layer from `files` (deterministic: fixed mtime, no owner names). */
export async function buildLayer(files: LayerFiles): Promise<BuiltLayer> {
  const staging = mkdtempSync(join(tmpdir(), 'ocikit-layer-'));
  try {
    const names = Object.keys(files).sort();
    for (const name of names) {
      const entry = files[name];
      const path = join(staging, name);
      mkdirSync(join(path, '..'), { recursive: true });
      if (typeof entry === 'object' && !Buffer.isBuffer(entry)) symlinkSync(entry.symlink, path);
      else writeFileSync(path, entry ?? '', { mode: name.startsWith('bin/') ? 0o755 : 0o644 });
    }
    const tops = [...new Set(names.map((n) => n.split('/')[0] as string))].sort();
    const chunks: Buffer[] = [];
    const stream = create({ cwd: staging, portable: true, mtime: new Date(1_600_000_000_000), gzip: false }, tops);
    for await (const c of stream as AsyncIterable<Buffer>) chunks.push(Buffer.from(c));
    const tar = Buffer.concat(chunks);
    const blob = gzipSync(tar, { level: 1 });
    return { mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(blob), diffId: sha(tar), size: blob.length, blob };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The files of a busybox-static userland: bin/busybox and applet symlinks. */
export function busyboxFiles(): LayerFiles {
  const files: LayerFiles = { 'bin/busybox': readFileSync('/bin/busybox') };
  for (const applet of ['sh', 'ls', 'echo', 'cat', 'true', 'false', 'sleep', 'env', 'id', 'mkdir', 'rm', 'touch', 'wc', 'sha256sum']) {
    files[`bin/${applet}`] = { symlink: 'busybox' };
  }
  files['etc/passwd'] = 'root:x:0:0:root:/root:/bin/sh\n';
  files['etc/group'] = 'root:x:0:\n';
  return files;
}

/** Writes an image made of `layers` into an OCI layout at `dir` (created) tagged `tag`. */
export function writeImageLayout(dir: string, layers: BuiltLayer[], tag = 'latest', extraConfig: Record<string, unknown> = {}): BuiltImage {
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  const put = (b: Buffer): Sha => {
    const d = sha(b);
    writeFileSync(join(dir, 'blobs', 'sha256', d.slice(7)), b);
    return d;
  };
  for (const l of layers) put(l.blob);
  const config = Buffer.from(JSON.stringify({
    created: '2020-09-13T12:26:40Z',
    architecture: 'amd64',
    os: 'linux',
    config: { Env: ['PATH=/bin'], Cmd: ['/bin/sh'], WorkingDir: '/' },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
    history: layers.map((_, i) => ({ created: '2020-09-13T12:26:40Z', created_by: `ocikit test layer ${i}` })),
    ...extraConfig,
  }));
  const configDigest = put(config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  }));
  const manifestDigest = put(manifest);
  writeFileSync(join(dir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  writeFileSync(join(dir, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': tag } }],
  }));
  return { dir, tag, layers, config, configDigest, manifest, manifestDigest };
}

/** A one-layer busybox-static image in a new layout dir under `parent` (default: a temp dir). */
export async function buildBusyboxImage(parent?: string): Promise<BuiltImage> {
  const dir = mkdtempSync(join(parent ?? tmpdir(), 'ocikit-busybox-'));
  return writeImageLayout(dir, [await buildLayer(busyboxFiles())]);
}

/**
 * A three-layer image: busybox, a config layer, and a layer of `randomBytes`
 * random bytes (default 256 KiB) so its digest differs per call.
 */
export async function buildMultiLayerImage(opts: { randomBytes?: number; parent?: string } = {}): Promise<BuiltImage> {
  const dir = mkdtempSync(join(opts.parent ?? tmpdir(), 'ocikit-multi-'));
  const layers = [
    await buildLayer(busyboxFiles()),
    await buildLayer({ 'etc/hello': 'hello from layer 2\n', 'etc/motd': 'ocikit test image\n' }),
    await buildLayer({ 'data/random.bin': randomBytes(opts.randomBytes ?? 256 * 1024) }),
  ];
  return writeImageLayout(dir, layers);
}

/** Pushes a built image to `host` as `repo:tag` with ocikit's client; resolves with the manifest digest. */
export async function pushBuiltImage(image: BuiltImage, host: string, repoTag: string, opts: RegistryOptions = {}): Promise<string> {
  const colon = repoTag.lastIndexOf(':');
  const repo = colon > 0 ? repoTag.slice(0, colon) : repoTag;
  const tag = colon > 0 ? repoTag.slice(colon + 1) : 'latest';
  const reg = new Registry(host, opts);
  try {
    for (const l of image.layers) await reg.uploadBlob(repo, l.digest, l.blob);
    await reg.uploadBlob(repo, image.configDigest, image.config);
    return await reg.putManifest(repo, tag, image.manifest, 'application/vnd.oci.image.manifest.v1+json');
  } finally {
    reg.close();
  }
}
