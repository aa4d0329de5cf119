import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash, randomBytes } from 'node:crypto';
import { Registry, RegistryError } from '../../../lib/index.js';
import { buildBusyboxImage, pushBuiltImage, type BuiltImage } from '../../helpers/images.js';
import { startRegistry, type RegistryServer } from '../../helpers/registry-server.js';
import { rmSync } from 'node:fs';

const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

describe('Registry against docker-registry (anonymous)', () => {
  let server: RegistryServer;
  let image: BuiltImage;
  let reg: Registry;

  beforeAll(async () => {
    server = await startRegistry();
    image = await buildBusyboxImage();
    reg = new Registry(server.host);
  });
  afterAll(async () => {
    reg.close();
    await server.stop();
    rmSync(image.dir, { recursive: true, force: true });
  });

  test('ping, push with our client, then manifest GET/HEAD and blob GET/HEAD', async () => {
    await reg.ping();
    const digest = await pushBuiltImage(image, server.host, 'test/busybox:1');
    expect(digest).toBe(image.manifestDigest);
    const m = await reg.getManifest('test/busybox', '1');
    expect(m.digest).toBe(image.manifestDigest);
    expect(m.bytes.equals(image.manifest)).toBe(true);
    const byDigest = await reg.getManifest('test/busybox', image.manifestDigest);
    expect(byDigest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    const head = await reg.headManifest('test/busybox', '1');
    expect(head?.digest).toBe(image.manifestDigest);
    expect(await reg.headManifest('test/busybox', 'nope')).toBeUndefined();
    const layer = image.layers[0]!;
    expect((await reg.headBlob('test/busybox', layer.digest))?.size).toBe(layer.size);
    const chunks: Buffer[] = [];
    for await (const c of reg.blob('test/busybox', layer.digest, { size: layer.size })) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).equals(layer.blob)).toBe(true);
  });

  test('unknown manifest gives RegistryError with the spec code and status', async () => {
    const err = await reg.getManifest('test/busybox', 'missing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).code).toBe('ERR_MANIFEST_UNKNOWN');
    expect((err as RegistryError).status).toBe(404);
    expect((err as RegistryError).registryCode).toBe('MANIFEST_UNKNOWN');
  });

  test('tags list, and catalog following Link paging (n/last)', async () => {
    for (const t of ['a', 'b', 'c']) await pushBuiltImage(image, server.host, `test/paged:${t}`);
    expect((await reg.listTags('test/paged')).sort()).toEqual(['a', 'b', 'c']);
    const all = await reg.catalog({ n: 1 });
    expect(all).toEqual(expect.arrayContaining(['test/busybox', 'test/paged']));
    const page = await reg.catalog({ n: 1, all: false });
    expect(page).toHaveLength(1);
    const after = await reg.catalog({ n: 1, last: page[0], all: false });
    expect(after).toHaveLength(1);
    expect(after[0]! > page[0]!).toBe(true);
    const found = await reg.search('paged');
    expect(found.map((r) => r.name)).toEqual(['test/paged']);
  });

  test('cross-repository mount, and fallback to upload when the source lacks the blob', async () => {
    await pushBuiltImage(image, server.host, 'test/source:1');
    const layer = image.layers[0]!;
    expect(await reg.uploadBlob('test/mounted', layer.digest, layer.blob, { mountFrom: ['test/source'] })).toBe('mounted');
    expect(await reg.uploadBlob('test/mounted', layer.digest, layer.blob, { mountFrom: ['test/source'] })).toBe('exists');
    const fresh = randomBytes(1000);
    expect(await reg.uploadBlob('test/mounted', sha(fresh), fresh, { mountFrom: ['test/source'] })).toBe('uploaded');
    expect((await reg.headBlob('test/mounted', sha(fresh)))?.size).toBe(1000);
  });

  test('chunked PATCH upload of a blob above the threshold', async () => {
    const chunked = new Registry(server.host, { chunkThreshold: 100_000, chunkSize: 40_000 });
    try {
      const big = randomBytes(250_000);
      const sent: number[] = [];
      expect(await chunked.uploadBlob('test/chunked', sha(big), big, { onProgress: (n) => sent.push(n) })).toBe('uploaded');
      expect(sent).toEqual([40_000, 80_000, 120_000, 160_000, 200_000, 240_000, 250_000]);
      const back = await chunked.blobBytes('test/chunked', sha(big), { size: big.length });
      expect(back.equals(big)).toBe(true);
    } finally {
      chunked.close();
    }
  });

  test('delete a manifest by digest', async () => {
    await pushBuiltImage(image, server.host, 'test/deleted:1');
    await reg.deleteManifest('test/deleted', image.manifestDigest);
    expect(await reg.headManifest('test/deleted', image.manifestDigest)).toBeUndefined();
  });

  test('referrers: empty index when the registry has no referrers API nor fallback tag', async () => {
    const idx = await reg.referrers('test/busybox', image.manifestDigest);
    expect(idx.manifests).toEqual([]);
  });

  test('referrers: the sha256-<hex> tag fallback, filtered by artifactType', async () => {
    const sig = { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.configDigest, size: image.config.length, artifactType: 'application/vnd.example.sig' };
    const sbom = { ...sig, artifactType: 'application/vnd.example.sbom' };
    const fallback = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [sig, sbom] }));
    await reg.putManifest('test/busybox', `sha256-${image.manifestDigest.slice(7)}`, fallback, 'application/vnd.oci.image.index.v1+json');
    expect((await reg.referrers('test/busybox', image.manifestDigest)).manifests).toHaveLength(2);
    const sigs = await reg.referrers('test/busybox', image.manifestDigest, { artifactType: 'application/vnd.example.sig' });
    expect(sigs.manifests).toEqual([sig]);
    expect(Registry.forReference(`${server.host}/test/busybox:1`).host).toBe(server.host);
  });
});
