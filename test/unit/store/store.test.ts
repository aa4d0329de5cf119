import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DigestMismatchError, InvalidDigestError } from '../../../lib/errors.js';
import { collectGarbage, REF_NAME, Store } from '../../../lib/store/index.js';

const sha = (b: Buffer | string): `sha256:${string}` => `sha256:${createHash('sha256').update(b).digest('hex')}`;
let root: string;
let store: Store;
beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'ocikit-store-'));
  store = await Store.open(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('Store layout and blobs', () => {
  test('an OCI layout is created', () => {
    expect(JSON.parse(readFileSync(join(root, 'oci-layout'), 'utf8'))).toEqual({ imageLayoutVersion: '1.0.0' });
    expect(JSON.parse(readFileSync(join(root, 'index.json'), 'utf8'))).toEqual({ schemaVersion: 2, manifests: [] });
  });

  test('a streamed blob appears only verified; a wrong one leaves nothing', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024, 7);
    const seen: number[] = [];
    const out = await store.writeBlob(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), { expected: sha(data), size: data.length, onData: (n) => seen.push(n) });
    expect(out).toEqual({ digest: sha(data), size: data.length });
    expect(seen.at(-1)).toBe(data.length);
    expect(await store.hasBlob(sha(data), data.length)).toBe(true);
    expect(await store.hasBlob(sha(data), 1)).toBe(false);
    await expect(store.writeBlob(Readable.from([Buffer.from('evil')]), { expected: sha('good') })).rejects.toBeInstanceOf(DigestMismatchError);
    await expect(store.writeBlob(Readable.from([Buffer.from('toolong')]), { expected: sha('toolong'), size: 3 })).rejects.toBeInstanceOf(DigestMismatchError);
    expect(existsSync(store.blobPath(sha('good')))).toBe(false);
    expect(readdirSync(store.ingestDir)).toEqual([]);
  });

  test('a source that fails midway leaves no temp file and no blob', async () => {
    async function* failing(): AsyncGenerator<Buffer> {
      yield Buffer.from('half');
      throw new Error('connection lost');
    }
    await expect(store.writeBlob(failing(), { expected: sha('half and more') })).rejects.toThrow('connection lost');
    expect(readdirSync(store.ingestDir)).toEqual([]);
    expect(readdirSync(join(root, 'blobs/sha256'))).toEqual([]);
  });

  test('stored bytes are re-verified on read; bad digests never reach the filesystem', async () => {
    const d = await store.putBytes(Buffer.from('{"a":1}'));
    expect((await store.readBytes(d)).toString()).toBe('{"a":1}');
    writeFileSync(store.blobPath(d), '{"a":2}');
    await expect(store.readBytes(d)).rejects.toBeInstanceOf(DigestMismatchError);
    expect(() => store.blobPath('sha256:../../etc/passwd')).toThrow(InvalidDigestError);
    await expect(store.putBytes(Buffer.from('x'), sha('y'))).rejects.toBeInstanceOf(DigestMismatchError);
  });

  test('concurrent index updates are serialised by the lock', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.updateIndex((idx) => {
          idx.manifests.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: sha(String(i)), size: i, annotations: { [REF_NAME]: `r:${i}` } });
        }),
      ),
    );
    const idx = await store.readIndex();
    expect(idx.manifests.map((m) => m.size).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});

describe('garbage collection', () => {
  test('keeps what the index reaches and what a live lease holds; removes the rest and dead temp files', async () => {
    const layer = await store.putBytes(Buffer.from('layer'));
    const config = await store.putBytes(Buffer.from('{"rootfs":{"type":"layers","diff_ids":[]}}'));
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 1 },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layer, size: 5 }],
    }));
    const md = await store.putBytes(manifest);
    await store.updateIndex((idx) => {
      idx.manifests.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: md, size: manifest.length, annotations: { [REF_NAME]: 'x/y:1' } });
    });
    const orphan = await store.putBytes(Buffer.from('orphan'));
    const leased = await store.putBytes(Buffer.from('being pulled'));
    const lease = await store.lease();
    await lease.add([leased]);
    writeFileSync(join(store.ingestDir, '999999999-dead.tmp'), 'partial');
    writeFileSync(join(store.ingestDir, `${process.pid}-live.tmp`), 'in flight');
    const gc = await collectGarbage(store);
    expect(gc.removed).toEqual([orphan]);
    expect(gc.freedBytes).toBe(6);
    for (const d of [layer, config, md, leased]) expect(await store.hasBlob(d)).toBe(true);
    expect(readdirSync(store.ingestDir)).toEqual([`${process.pid}-live.tmp`]);
    await lease.release();
    expect((await collectGarbage(store)).removed).toEqual([leased]);
  });
});
