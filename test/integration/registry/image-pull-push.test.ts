import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Image, ImageError, Registry, type ProgressEvent } from '../../../lib/index.js';
import { buildLayer, buildMultiLayerImage, pushBuiltImage, writeImageLayout, type BuiltImage } from '../../helpers/images.js';
import { startRegistry, type RegistryServer } from '../../helpers/registry-server.js';
import { startProxy } from '../../helpers/http-fake.js';

const skopeo = (...args: string[]): string => execFileSync('skopeo', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('Image pull, push, inspect, save/load against docker-registry and skopeo', () => {
  let server: RegistryServer;
  let image: BuiltImage;
  let tmp: string;
  let root: string;

  beforeAll(async () => {
    server = await startRegistry();
    tmp = mkdtempSync(join(tmpdir(), 'ocikit-image-'));
    root = join(tmp, 'store');
    image = await buildMultiLayerImage({ parent: tmp });
    await pushBuiltImage(image, server.host, 'test/multi:1');
  });
  afterAll(async () => {
    await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  test('pull stores every blob verified, reports per-layer progress, and a second pull finds them present', async () => {
    const events: ProgressEvent[] = [];
    const img = await Image.pull(`${server.host}/test/multi:1`, { root, onProgress: (e) => events.push(e) });
    expect(img.digest).toBe(image.manifestDigest);
    expect(img.id).toBe(image.configDigest);
    for (const l of image.layers) {
      expect(readFileSync(join(root, 'blobs/sha256', l.digest.slice(7))).equals(l.blob)).toBe(true);
      const mine = events.filter((e) => e.digest === l.digest).map((e) => e.state);
      expect(mine[0]).toBe('waiting');
      expect(mine.at(-1)).toBe('complete');
    }
    expect(readdirSync(join(root, 'ingest'))).toEqual([]);
    const again: ProgressEvent[] = [];
    await Image.pull(`${server.host}/test/multi:1`, { root, onProgress: (e) => again.push(e) });
    expect(again.filter((e) => e.state === 'exists')).toHaveLength(3);
    expect(again.some((e) => e.state === 'downloading')).toBe(false);
  });

  test('get, list, inspect and history read the store like docker image inspect/history', async () => {
    const img = await Image.get(`${server.host}/test/multi:1`, { root });
    expect((await Image.get(image.configDigest.slice(7, 19), { root })).digest).toBe(img.digest);
    expect((await Image.get(`${server.host}/test/multi@${image.manifestDigest}`, { root })).id).toBe(img.id);
    const info = await img.inspect();
    expect(info.Id).toBe(image.configDigest);
    expect(info.RepoTags).toEqual([`${server.host}/test/multi:1`]);
    expect(info.RepoDigests).toEqual([`${server.host}/test/multi@${image.manifestDigest}`]);
    expect(info.Os).toBe('linux');
    expect(info.Architecture).toBe('amd64');
    expect(info.RootFS.Layers).toEqual(image.layers.map((l) => l.diffId));
    expect(info.Size).toBe(image.layers.reduce((n, l) => n + l.size, 0));
    const hist = await img.history();
    expect(hist.map((h) => h.createdBy)).toEqual(['ocikit test layer 2', 'ocikit test layer 1', 'ocikit test layer 0']);
    expect(hist[0]?.size).toBe(image.layers[2]?.size);
    expect((await Image.list({ root })).map((i) => i.digest)).toEqual([image.manifestDigest]);
    await expect(Image.get('nothing/here:1', { root })).rejects.toMatchObject({ code: 'ERR_IMAGE_NOT_FOUND' });
  });

  test('skopeo reads our store as an OCI layout', () => {
    const out = JSON.parse(skopeo('inspect', `oci:${root}:${server.host}/test/multi:1`)) as { Digest: string; Layers: string[] };
    expect(out.Digest).toBe(image.manifestDigest);
    expect(out.Layers).toEqual(image.layers.map((l) => l.digest));
    const tags = execFileSync('umoci', ['ls', '--layout', root], { encoding: 'utf8' }).trim().split('\n');
    expect(tags).toContain(`${server.host}/test/multi:1`);
  });

  test('tag then push mounts layers from the source repository; skopeo copies the result out', async () => {
    const img = await Image.get(`${server.host}/test/multi:1`, { root });
    await img.tag(`${server.host}/test/copy:2`);
    const events: ProgressEvent[] = [];
    const digest = await img.push(`${server.host}/test/copy:2`, { onProgress: (e) => events.push(e) });
    expect(digest).toBe(image.manifestDigest);
    expect(events.filter((e) => e.state === 'mounted')).toHaveLength(3);
    const out = join(tmp, 'skopeo-out');
    skopeo('copy', '--src-tls-verify=false', `docker://${server.host}/test/copy:2`, `oci:${out}:x`);
    for (const l of image.layers) expect(readFileSync(join(out, 'blobs/sha256', l.digest.slice(7))).equals(l.blob)).toBe(true);
    // a push to a fresh registry path with no source uploads everything
    const fresh: ProgressEvent[] = [];
    await img.push(`${server.host}/other/place:1`, { onProgress: (e) => fresh.push(e) });
    expect(fresh.filter((e) => e.state === 'mounted').length + fresh.filter((e) => e.state === 'complete').length).toBe(3);
  });

  test('a push to another registry uploads every layer, in PATCH chunks above the threshold, and pulls back identical', async () => {
    const second = await startRegistry();
    try {
      const img = await Image.get(`${server.host}/test/multi:1`, { root });
      const events: ProgressEvent[] = [];
      const ref = `${second.host}/elsewhere/multi:1`;
      expect(await img.push(ref, { chunkThreshold: 64 * 1024, chunkSize: 100_000, onProgress: (e) => events.push(e) })).toBe(image.manifestDigest);
      const big = image.layers[2]!;
      const uploads = events.filter((e) => e.digest === big.digest && e.state === 'uploading').map((e) => e.current);
      expect(uploads.length).toBeGreaterThanOrEqual(2);
      expect(uploads.at(-1)).toBe(big.size);
      expect(events.filter((e) => e.state === 'complete')).toHaveLength(3);
      const back = await Image.pull(ref, { root: join(tmp, 'from-second') });
      expect(back.digest).toBe(image.manifestDigest);
      expect(readFileSync(join(tmp, 'from-second/blobs/sha256', big.digest.slice(7))).equals(big.blob)).toBe(true);
    } finally {
      await second.stop();
    }
  });

  test('an image pushed by skopeo is pulled bit-identical', async () => {
    const src = await buildMultiLayerImage({ parent: tmp, randomBytes: 64 * 1024 });
    skopeo('copy', '--dest-tls-verify=false', `oci:${src.dir}:latest`, `docker://${server.host}/bys/skopeo:1`);
    const reg = new Registry(server.host);
    const served = await reg.getManifest('bys/skopeo', '1');
    reg.close();
    const img = await Image.pull(`${server.host}/bys/skopeo:1`, { root });
    expect(img.digest).toBe(served.digest);
    expect(readFileSync(join(root, 'blobs/sha256', served.digest.slice(7))).equals(served.bytes)).toBe(true);
    for (const l of src.layers) expect(readFileSync(join(root, 'blobs/sha256', l.digest.slice(7))).equals(l.blob)).toBe(true);
  });

  test('index: the host platform is chosen by default, another on request', async () => {
    const dirA = join(tmp, 'arm');
    const arm = writeImageLayout(dirA, [await buildLayer({ 'etc/arch': 'arm64\n' })], 'latest', { architecture: 'arm64', variant: 'v8' });
    await pushBuiltImage(arm, server.host, 'test/multiarch:arm');
    const reg = new Registry(server.host);
    const index = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: arm.manifestDigest, size: arm.manifest.length, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: image.manifestDigest, size: image.manifest.length, platform: { os: 'linux', architecture: 'amd64' } },
      ],
    }));
    await pushBuiltImage(image, server.host, 'test/multiarch:amd');
    const indexDigest = await reg.putManifest('test/multiarch', 'all', index, 'application/vnd.oci.image.index.v1+json');
    reg.close();
    const host = await Image.pull(`${server.host}/test/multiarch:all`, { root });
    expect(host.digest).toBe(process.arch === 'arm64' ? arm.manifestDigest : image.manifestDigest);
    const other = await Image.pull(`${server.host}/test/multiarch:all`, { root, platform: 'linux/arm64' });
    expect(other.digest).toBe(arm.manifestDigest);
    expect((await other.inspect()).RepoDigests).toEqual([`${server.host}/test/multiarch@${indexDigest}`]);
    await expect(Image.pull(`${server.host}/test/multiarch:all`, { root, platform: 'linux/s390x' })).rejects.toBeInstanceOf(ImageError);
  });

  test('save as docker-archive and oci-archive (skopeo inspects both), remove with GC, load back', async () => {
    const ref = `${server.host}/test/multi:1`;
    const dockerTar = join(tmp, 'img-docker.tar');
    const ociTar = join(tmp, 'img-oci.tar');
    await Image.save([ref], dockerTar, { root });
    await Image.save([ref], ociTar, { root, format: 'oci-archive' });
    const d = JSON.parse(skopeo('inspect', `docker-archive:${dockerTar}`)) as { Layers: string[]; RepoTags: string[] };
    expect(d.Layers).toHaveLength(3);
    const o = JSON.parse(skopeo('inspect', `oci-archive:${ociTar}`)) as { Digest: string };
    expect(o.Digest).toBe(image.manifestDigest);

    const isolated = join(tmp, 'store2');
    await Image.pull(ref, { root: isolated });
    const removed = await Image.remove(ref, { root: isolated });
    expect(removed).toEqual([ref]);
    for (const l of image.layers) expect(existsSync(join(isolated, 'blobs/sha256', l.digest.slice(7)))).toBe(false);
    const loaded = await Image.load(dockerTar, { root: isolated });
    expect(loaded.map((i) => i.digest)).toEqual([image.manifestDigest]);
    expect((await Image.get(ref, { root: isolated })).id).toBe(image.configDigest);
    await Image.remove(ref, { root: isolated });
    const fromOci = await Image.load(ociTar, { root: isolated });
    expect(fromOci[0]?.digest).toBe(image.manifestDigest);
    expect((await Image.get(ref, { root: isolated })).digest).toBe(image.manifestDigest);
  });

  test('an aborted pull rejects and names nothing in the store', async () => {
    const isolated = join(tmp, 'aborted');
    const controller = new AbortController();
    const stalled = await startProxy(server.host, (req, upstream, res) => {
      if (req.method !== 'GET' || !(req.url ?? '').includes('/blobs/') || (req.url ?? '').endsWith(image.configDigest)) return false;
      res.writeHead(200, upstream.headers);
      upstream.once('data', (c: Buffer) => res.write(c.subarray(0, 100)));
      return true;
    });
    try {
      const pulling = Image.pull(`${stalled.host}/test/multi:1`, {
        root: isolated,
        signal: controller.signal,
        onProgress: (e) => {
          if (e.state === 'downloading') setTimeout(() => controller.abort(), 100);
        },
      });
      await expect(pulling).rejects.toThrow();
      expect(JSON.parse(readFileSync(join(isolated, 'index.json'), 'utf8'))).toEqual({ schemaVersion: 2, manifests: [] });
      for (const l of image.layers) expect(existsSync(join(isolated, 'blobs/sha256', l.digest.slice(7)))).toBe(false);
    } finally {
      await stalled.stop();
    }
  });

  test('a classic docker-archive written by skopeo (manifest.json only) loads', async () => {
    const file = join(tmp, 'skopeo-docker.tar');
    skopeo('copy', `oci:${image.dir}:latest`, `docker-archive:${file}:skopeo/made:7`);
    const isolated = join(tmp, 'store-skopeo-archive');
    const [loaded] = await Image.load(file, { root: isolated });
    expect(loaded?.id).toBe(image.configDigest);
    expect(loaded?.config.rootfs.diff_ids).toEqual(image.layers.map((l) => l.diffId));
    const byName = await Image.get('skopeo/made:7', { root: isolated });
    expect(byName.digest).toBe(loaded?.digest);
    expect((await byName.inspect()).RepoTags).toEqual(['skopeo/made:7']);
    // every layer blob is in the store under the digest its manifest names
    for (const l of byName.layers) expect(existsSync(join(isolated, 'blobs/sha256', l.digest.slice(7)))).toBe(true);
  });

  test('remove by ID refuses an image with several references unless forced', async () => {
    const isolated = join(tmp, 'store3');
    const img = await Image.pull(`${server.host}/test/multi:1`, { root: isolated });
    await img.tag(`${server.host}/test/multi:again`);
    await expect(Image.remove(img.id, { root: isolated })).rejects.toMatchObject({ code: 'ERR_IMAGE_IN_USE' });
    expect((await Image.remove(img.id, { root: isolated, force: true })).sort()).toEqual([`${server.host}/test/multi:1`, `${server.host}/test/multi:again`]);
    expect(readdirSync(join(isolated, 'blobs/sha256'))).toEqual([]);
  });
});
