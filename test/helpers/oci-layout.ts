/** Writes a small OCI image layout from tar fixtures, for tests that hand it to umoci or skopeo. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipLayer, sha256 } from './tar-fixtures.js';

/** What {@link writeLayout} made. */
export interface TestLayout {
  layers: { path: string; mediaType: string; digest: `sha256:${string}`; diffId: `sha256:${string}` }[];
  manifestDigest: `sha256:${string}`;
}

/** Writes `tars` as gzip layers of one image tagged `tag` in an OCI layout at `dir`. */
export function writeLayout(dir: string, tars: Buffer[], tag = 'test'): TestLayout {
  const blobs = join(dir, 'blobs/sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (data: Buffer): `sha256:${string}` => {
    const d = sha256(data);
    writeFileSync(join(blobs, d.slice(7)), data);
    return d;
  };
  const layers = tars.map((tar) => {
    const { blob, diffId } = gzipLayer(tar);
    const digest = put(blob);
    return { path: join(blobs, digest.slice(7)), mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest, diffId, size: blob.length };
  });
  const config = Buffer.from(JSON.stringify({
    architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: layers.map((l) => l.diffId) },
  }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: put(config), size: config.length },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  }));
  const manifestDigest = put(manifest);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(join(dir, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': tag } }],
  }));
  return { layers: layers.map(({ size: _s, ...l }) => l), manifestDigest };
}
