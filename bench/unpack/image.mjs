// Builds (once, cached under bench/.cache) a 3-layer OCI image: >= 100 MB compressed,
// >= 10k files, with whiteouts and an opaque whiteout. Layers are made by GNU tar from
// generated trees, so the fixture does not depend on ocikit's own tar writer.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CACHE = join(dirname(fileURLToPath(import.meta.url)), '..', '.cache');

function sha256File(p) {
  return createHash('sha256').update(readFileSync(p)).digest('hex');
}

/** Deterministic-size random-ish content: half random (incompressible), half text. */
function content(i, size) {
  const rnd = randomBytes(Math.ceil(size / 2));
  const txt = Buffer.from(`line ${i} `.repeat(Math.ceil(size / 2 / 8))).subarray(0, size - rnd.length);
  return Buffer.concat([rnd, txt]);
}

function makeTree(dir, layer) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const w = (rel, data) => { mkdirSync(dirname(join(dir, rel)), { recursive: true }); writeFileSync(join(dir, rel), data); };
  if (layer === 0) {
    for (let i = 0; i < 7000; i++) w(`usr/lib/pkg${i % 70}/file${i}.so`, content(i, 4000 + (i * 7919) % 16000));
    for (let i = 0; i < 14; i++) w(`opt/big/blob${i}`, content(i, 6 << 20));
    for (let i = 0; i < 500; i++) w(`etc/conf.d/c${i}`, `key=${i}\n`);
  } else if (layer === 1) {
    for (let i = 0; i < 3000; i++) w(`srv/app/mod${i % 30}/f${i}.js`, content(i, 2000 + (i * 104729) % 12000));
    for (let i = 0; i < 200; i++) w(`usr/lib/pkg${i % 70}/.wh.file${i}.so`, '');
    w('opt/big/.wh..wh..opq', '');
    w('opt/big/new', content(1, 4 << 20));
  } else {
    for (let i = 0; i < 1000; i++) w(`home/user/docs/d${i}.txt`, content(i, 3000));
    w('etc/.wh.conf.d', '');
    for (let i = 0; i < 50; i++) w(`etc/conf.d/n${i}`, `new=${i}\n`);
  }
}

/** Returns { layout, tag, layers: [{ path, mediaType, digest, diffId }] }, building it if needed. */
export function benchImage() {
  const layout = join(CACHE, 'unpack-image');
  const meta = join(layout, 'bench.json');
  if (existsSync(meta)) return JSON.parse(readFileSync(meta, 'utf8'));
  const work = join(CACHE, 'unpack-work');
  rmSync(layout, { recursive: true, force: true });
  mkdirSync(join(layout, 'blobs/sha256'), { recursive: true });
  const layers = [];
  for (let l = 0; l < 3; l++) {
    const tree = join(work, `l${l}`);
    makeTree(tree, l);
    const tarPath = join(work, `l${l}.tar`);
    execFileSync('tar', ['--sort=name', '--numeric-owner', '--owner=0', '--group=0', '--mtime=@1600000000', '-C', tree, '-cf', tarPath, '.']);
    const diffId = `sha256:${sha256File(tarPath)}`;
    execFileSync('gzip', ['-n', '-6', '-f', tarPath]);
    const hex = sha256File(`${tarPath}.gz`);
    const path = join(layout, 'blobs/sha256', hex);
    renameSync(`${tarPath}.gz`, path);
    layers.push({ path, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${hex}`, diffId, size: statSync(path).size });
  }
  const put = (obj) => {
    const b = Buffer.from(JSON.stringify(obj));
    const hex = createHash('sha256').update(b).digest('hex');
    writeFileSync(join(layout, 'blobs/sha256', hex), b);
    return { digest: `sha256:${hex}`, size: b.length };
  };
  const config = put({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) } });
  const manifest = put({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  });
  writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': 'bench' } }] }));
  rmSync(work, { recursive: true, force: true });
  const result = { layout, tag: 'bench', layers };
  writeFileSync(meta, JSON.stringify(result));
  return result;
}
