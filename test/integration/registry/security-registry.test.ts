import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DigestMismatchError, Image, InvalidDigestError, Registry, RegistryError } from '../../../lib/index.js';
import { buildMultiLayerImage, type BuiltImage } from '../../helpers/images.js';
import { startFake, startProxy, type FakeServer } from '../../helpers/http-fake.js';
import { startRegistry, type RegistryServer } from '../../helpers/registry-server.js';
import { pushBuiltImage } from '../../helpers/images.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const sha = (b: Buffer | string): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

let tmp: string;
let image: BuiltImage;
const servers: FakeServer[] = [];
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ocikit-sec-'));
  image = await buildMultiLayerImage({ parent: tmp, randomBytes: 512 * 1024 });
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
afterEach(async () => {
  while (servers.length > 0) await servers.pop()?.stop();
});

type Hook = (req: IncomingMessage, res: ServerResponse) => boolean;

/** A fake registry serving `image` as repo `x/y` tag `1`; `hook` may answer first. */
async function fakeRegistry(hook: Hook = () => false, img: BuiltImage = image): Promise<FakeServer> {
  const blobs = new Map<string, Buffer>([[img.configDigest, img.config], ...img.layers.map((l) => [l.digest, l.blob] as [string, Buffer])]);
  const s = await startFake((req, res) => {
    if (hook(req, res)) return;
    const url = req.url ?? '';
    if (url === '/v2/') return void res.writeHead(200).end('{}');
    const m = /^\/v2\/x\/y\/manifests\/(.+)$/.exec(url);
    if (m !== null && (m[1] === '1' || m[1] === img.manifestDigest)) {
      res.writeHead(200, { 'Content-Type': OCI_MANIFEST, 'Docker-Content-Digest': img.manifestDigest, 'Content-Length': img.manifest.length });
      return void res.end(req.method === 'HEAD' ? undefined : img.manifest);
    }
    const b = /^\/v2\/x\/y\/blobs\/(sha256:[0-9a-f]{64})$/.exec(url);
    const blob = b !== null ? blobs.get(b[1] ?? '') : undefined;
    if (blob !== undefined) {
      res.writeHead(200, { 'Content-Length': blob.length, 'Docker-Content-Digest': b?.[1] });
      return void res.end(req.method === 'HEAD' ? undefined : blob);
    }
    res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"BLOB_UNKNOWN","message":"unknown"}]}');
  });
  servers.push(s);
  return s;
}

/** The bad blob is absent, every stored blob verifies, no image is named, no temp file is left. */
function storeIsClean(root: string, bad: string): void {
  const blobs = existsSync(join(root, 'blobs/sha256')) ? readdirSync(join(root, 'blobs/sha256')) : [];
  for (const hex of blobs) expect(sha(readFileSync(join(root, 'blobs/sha256', hex)))).toBe(`sha256:${hex}`);
  expect(blobs).not.toContain(bad.slice(7));
  const index = JSON.parse(readFileSync(join(root, 'index.json'), 'utf8')) as { manifests: unknown[] };
  expect(index.manifests).toEqual([]);
  expect(readdirSync(join(root, 'ingest'))).toEqual([]);
}

describe('SECURITY 15: mismatching blob content, size or Docker-Content-Digest is rejected and nothing is stored', () => {
  test('a layer whose bytes do not match its digest', async () => {
    const bad = image.layers[2]!;
    const s = await fakeRegistry((req, res) => {
      if (req.url?.endsWith(bad.digest) === true && req.method === 'GET') {
        const evil = Buffer.from(bad.blob);
        evil.writeUInt8((evil.readUInt8(evil.length - 10) ^ 0xff) & 0xff, evil.length - 10);
        res.writeHead(200, { 'Content-Length': evil.length }).end(evil);
        return true;
      }
      return false;
    });
    const root = join(tmp, 'sec15a');
    await expect(Image.pull(`${s.host}/x/y:1`, { root })).rejects.toBeInstanceOf(DigestMismatchError);
    storeIsClean(root, bad.digest);
  });

  test('a blob larger than its descriptor, and a Docker-Content-Digest that differs', async () => {
    const bad = image.layers[1]!;
    const s = await fakeRegistry((req, res) => {
      if (req.url?.endsWith(bad.digest) === true) {
        res.writeHead(200, { 'Docker-Content-Digest': image.layers[0]!.digest }).end(bad.blob);
        return true;
      }
      if (req.url?.endsWith(image.layers[2]!.digest) === true) {
        res.end(Buffer.concat([image.layers[2]!.blob, Buffer.from('trailing')]));
        return true;
      }
      return false;
    });
    const reg = new Registry(s.host);
    await expect(reg.blobBytes('x/y', bad.digest)).rejects.toMatchObject({ code: 'ERR_DIGEST_MISMATCH' });
    await expect(reg.blobBytes('x/y', image.layers[2]!.digest, { size: image.layers[2]!.size })).rejects.toBeInstanceOf(DigestMismatchError);
    reg.close();
    const root = join(tmp, 'sec15b');
    await expect(Image.pull(`${s.host}/x/y:1`, { root })).rejects.toBeInstanceOf(DigestMismatchError);
    storeIsClean(root, bad.digest);
    storeIsClean(root, image.layers[2]!.digest);
  });

  test('a manifest whose Docker-Content-Digest or content differs from the digest asked for', async () => {
    const s = await fakeRegistry((req, res) => {
      if (req.url === '/v2/x/y/manifests/1') {
        res.writeHead(200, { 'Content-Type': OCI_MANIFEST, 'Docker-Content-Digest': sha('other') }).end(image.manifest);
        return true;
      }
      return false;
    });
    const reg = new Registry(s.host);
    await expect(reg.getManifest('x/y', '1')).rejects.toBeInstanceOf(DigestMismatchError);
    await expect(reg.getManifest('x/y', sha('not this'))).rejects.toBeInstanceOf(RegistryError);
    reg.close();
  });

  test('digest strings like sha256:../../x or an unknown algorithm are rejected before any I/O', async () => {
    const s = await fakeRegistry();
    const reg = new Registry(s.host);
    for (const d of ['sha256:../../x', 'md5:d41d8cd98f00b204e9800998ecf8427e', 'sha256:' + 'A'.repeat(64), `sha256:${'a'.repeat(63)}/`]) {
      expect(() => reg.openBlob('x/y', d)).toThrow(InvalidDigestError);
      await expect(reg.getManifest('x/y', d)).rejects.toBeInstanceOf(InvalidDigestError);
      await expect(reg.uploadBlob('x/y', d, Buffer.from('a'))).rejects.toBeInstanceOf(InvalidDigestError);
    }
    await expect(Image.get('sha256:../../etc', { root: join(tmp, 'sec15d') })).rejects.toThrow();
    reg.close();
    expect(s.requests).toEqual([]);
  });

  test('a manifest naming a layer by a path-like digest is refused before its blobs are fetched', async () => {
    const evil = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: image.configDigest, size: image.config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: 'sha256:../../../etc/passwd', size: 10 }],
    }));
    const s = await fakeRegistry((req, res) => {
      if (req.url === '/v2/x/y/manifests/evil') return void res.writeHead(200, { 'Content-Type': OCI_MANIFEST }).end(evil), true;
      return false;
    });
    const root = join(tmp, 'sec15e');
    await expect(Image.pull(`${s.host}/x/y:evil`, { root })).rejects.toBeInstanceOf(InvalidDigestError);
    expect(s.requests.filter((r) => r.url.includes('/blobs/'))).toEqual([]);
  });
});

describe('SECURITY 16: manifests that are ambiguous, mistyped, oversized, self-referencing or schema 1 are rejected', () => {
  async function serve(body: Buffer | string, contentType: string, extra: Record<string, string> = {}): Promise<Registry> {
    const s = await fakeRegistry((req, res) => {
      if (req.url === '/v2/x/y/manifests/t') return void res.writeHead(200, { 'Content-Type': contentType, ...extra }).end(body), true;
      return false;
    });
    return new Registry(s.host);
  }
  const desc = { mediaType: OCI_MANIFEST, digest: sha('a'), size: 1 };

  test('a document that is both an index and a manifest', async () => {
    const doc = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: desc, layers: [], manifests: [desc] });
    const reg = await serve(doc, OCI_MANIFEST);
    await expect(reg.getManifest('x/y', 't')).rejects.toMatchObject({ code: 'ERR_MANIFEST_AMBIGUOUS' });
    reg.close();
  });

  test('a mediaType that differs from Content-Type', async () => {
    const reg = await serve(image.manifest, OCI_INDEX);
    await expect(reg.getManifest('x/y', 't')).rejects.toMatchObject({ code: 'ERR_MANIFEST_MEDIA_TYPE' });
    reg.close();
  });

  test('larger than 4 MiB, announced or not', async () => {
    const huge = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: desc, layers: [], annotations: { pad: 'x'.repeat(4 * 1024 * 1024) } });
    const reg = await serve(huge, OCI_MANIFEST);
    await expect(reg.getManifest('x/y', 't')).rejects.toMatchObject({ code: 'ERR_MANIFEST_TOO_LARGE' });
    reg.close();
    const s = await fakeRegistry((req, res) => {
      if (req.url !== '/v2/x/y/manifests/t') return false;
      res.writeHead(200, { 'Content-Type': OCI_MANIFEST, 'Transfer-Encoding': 'chunked' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      for (let i = 0; i < 5; i++) res.write(chunk);
      res.end();
      return true;
    });
    const chunked = new Registry(s.host);
    await expect(chunked.getManifest('x/y', 't')).rejects.toMatchObject({ code: 'ERR_MANIFEST_TOO_LARGE' });
    chunked.close();
  });

  test('an index whose chosen entry is itself an index (the only way a content-addressed chain can loop back) is refused', async () => {
    const inner = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ ...desc, platform: { os: 'linux', architecture: 'amd64' } }] }));
    const outer = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: OCI_INDEX,
      manifests: [{ mediaType: OCI_INDEX, digest: sha(inner), size: inner.length, platform: { os: 'linux', architecture: process.arch === 'arm64' ? 'arm64' : 'amd64' } }],
    }));
    const s = await fakeRegistry((req, res) => {
      if (req.url === '/v2/x/y/manifests/t') return void res.writeHead(200, { 'Content-Type': OCI_INDEX }).end(outer), true;
      if (req.url === `/v2/x/y/manifests/${sha(inner)}`) return void res.writeHead(200, { 'Content-Type': OCI_INDEX }).end(inner), true;
      return false;
    });
    await expect(Image.pull(`${s.host}/x/y:t`, { root: join(tmp, 'sec16') })).rejects.toMatchObject({ code: 'ERR_IMAGE_INVALID' });
  });

  test('Docker schema 1 gives a clear unsupported error', async () => {
    const reg = await serve(JSON.stringify({ schemaVersion: 1, name: 'x/y', tag: 't', fsLayers: [] }), 'application/vnd.docker.distribution.manifest.v1+prettyjws');
    await expect(reg.getManifest('x/y', 't')).rejects.toMatchObject({ code: 'ERR_MANIFEST_UNSUPPORTED' });
    reg.close();
  });
});

describe('SECURITY 17: credentials go only to the registry host and its token realm', () => {
  const creds = { username: 'u', password: 'p' };
  const basic = `Basic ${Buffer.from('u:p').toString('base64')}`;
  const needAuth: Hook = (req, res) => {
    if (req.headers.authorization !== basic) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' }).end();
      return true;
    }
    return false;
  };

  test('a blob redirect to another host gets no Authorization, and the blob is still verified', async () => {
    const byDigest = new Map<string, Buffer>([[image.configDigest, image.config], ...image.layers.map((l) => [l.digest, l.blob] as [string, Buffer])]);
    const storage = await startFake((req, res) => {
      const blob = byDigest.get(new URL(req.url ?? '/', 'http://x').pathname.split('/')[2] ?? '') ?? Buffer.alloc(0);
      res.writeHead(200, { 'Content-Length': blob.length }).end(blob);
    });
    servers.push(storage);
    const s = await fakeRegistry((req, res) => {
      if (needAuth(req, res)) return true;
      if (req.url?.includes('/blobs/') === true) return void res.writeHead(307, { Location: `${storage.url}/blob/${req.url.split('/').pop() ?? ''}?sig=1` }).end(), true;
      return false;
    });
    const img = await Image.pull(`${s.host}/x/y:1`, { root: join(tmp, 'sec17a'), credentials: creds });
    expect(img.digest).toBe(image.manifestDigest);
    expect(storage.requests.length).toBeGreaterThanOrEqual(4);
    for (const r of storage.requests) expect(r.headers.authorization).toBeUndefined();
    expect(s.requests.filter((r) => r.headers.authorization === basic).length).toBeGreaterThan(0);
  });

  test('redirects to link-local addresses are refused and redirects are capped', async () => {
    const s = await fakeRegistry((req, res) => {
      if (req.url?.endsWith(image.layers[0]!.digest) === true) return void res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' }).end(), true;
      if (req.url?.endsWith(image.layers[1]!.digest) === true) return void res.writeHead(302, { Location: req.url }).end(), true;
      return false;
    });
    const reg = new Registry(s.host, { credentials: creds });
    await expect(reg.blobBytes('x/y', image.layers[0]!.digest)).rejects.toMatchObject({ code: 'ERR_UNSAFE_REDIRECT' });
    const before = s.requests.length;
    await expect(reg.blobBytes('x/y', image.layers[1]!.digest)).rejects.toMatchObject({ code: 'ERR_TOO_MANY_REDIRECTS' });
    expect(s.requests.length - before).toBe(6);
    reg.close();
  });

  test('a foreign layer URL is never fetched', async () => {
    const evil = await startFake((_req, res) => void res.end('x'));
    servers.push(evil);
    const layer = image.layers[0]!;
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2, mediaType: OCI_MANIFEST,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: image.configDigest, size: image.config.length },
      layers: image.layers.map((l) => ({ mediaType: 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', digest: l.digest, size: l.size, urls: [`${evil.url}/layer`] })),
    }));
    const s = await fakeRegistry((req, res) => {
      if (req.url === '/v2/x/y/manifests/foreign') return void res.writeHead(200, { 'Content-Type': OCI_MANIFEST }).end(manifest), true;
      if (req.url?.endsWith(layer.digest) === true) return void res.writeHead(404).end(), true;
      return false;
    });
    await expect(Image.pull(`${s.host}/x/y:foreign`, { root: join(tmp, 'sec17c'), credentials: creds })).rejects.toMatchObject({ code: 'ERR_FOREIGN_LAYER' });
    expect(evil.requests).toEqual([]);
  });

  test('a token realm on a link-local address gets no credentials', async () => {
    const s = await fakeRegistry((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="http://169.254.169.254/token",service="x"' }).end();
      return true;
    });
    const reg = new Registry(s.host, { credentials: creds });
    await expect(reg.ping()).rejects.toMatchObject({ code: 'ERR_UNSAFE_TOKEN_REALM' });
    reg.close();
  });
});

describe('SECURITY 18: 429/5xx are retried with a cap; a cut blob resumes with Range and is still verified', () => {
  test('429 with Retry-After is honoured, 503 retried, and a persistent 503 gives up after the cap', async () => {
    let calls = 0;
    const s = await fakeRegistry((req, res) => {
      if (req.url === '/v2/x/y/manifests/1') {
        calls++;
        if (calls === 1) return void res.writeHead(429, { 'Retry-After': '1' }).end(), true;
        if (calls === 2) return void res.writeHead(503).end(), true;
      }
      if (req.url === '/v2/x/y/manifests/down') return void res.writeHead(503).end('{"errors":[{"code":"UNAVAILABLE","message":"down"}]}'), true;
      return false;
    });
    const reg = new Registry(s.host, { retry: { attempts: 4, baseDelayMs: 20, maxDelayMs: 5000 } });
    const t0 = Date.now();
    expect((await reg.getManifest('x/y', '1')).digest).toBe(image.manifestDigest);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(calls).toBe(3);
    const err = await reg.getManifest('x/y', 'down').catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 503, registryCode: 'UNAVAILABLE' });
    expect(s.requests.filter((r) => r.url === '/v2/x/y/manifests/down')).toHaveLength(4);
    reg.close();
  });

  test('a connection reset before the response is retried', async () => {
    let resets = 0;
    const s = await fakeRegistry((req, res) => {
      if (req.url === '/v2/x/y/manifests/1' && resets < 2) {
        resets++;
        res.socket?.destroy();
        return true;
      }
      return false;
    });
    const reg = new Registry(s.host, { retry: { baseDelayMs: 10 } });
    expect((await reg.getManifest('x/y', '1')).digest).toBe(image.manifestDigest);
    expect(resets).toBe(2);
    reg.close();
  });

  describe('against docker-registry behind a proxy that cuts the first blob response halfway', () => {
    let server: RegistryServer;
    beforeAll(async () => {
      server = await startRegistry();
      await pushBuiltImage(image, server.host, 'cut/me:1');
    });
    afterAll(() => server.stop());

    test('the pull resumes with Range and stores verified blobs', async () => {
      const big = image.layers[2]!;
      let cut = false;
      const proxy = await startProxy(server.host, (req, upstream, res) => {
        if (cut || req.method !== 'GET' || req.url?.endsWith(big.digest) !== true) return false;
        cut = true;
        res.writeHead(upstream.statusCode ?? 200, upstream.headers);
        let sent = 0;
        upstream.on('data', (c: Buffer) => {
          if (sent > big.size / 2) return;
          sent += c.length;
          if (sent > big.size / 2) res.write(c, () => res.socket?.destroy());
          else res.write(c);
        });
        return true;
      });
      servers.push(proxy);
      const root = join(tmp, 'sec18');
      const img = await Image.pull(`${proxy.host}/cut/me:1`, { root });
      expect(img.digest).toBe(image.manifestDigest);
      expect(cut).toBe(true);
      const ranged = proxy.requests.filter((r) => r.headers.range !== undefined);
      expect(ranged).toHaveLength(1);
      expect(ranged[0]?.headers.range).toMatch(/^bytes=[1-9]\d*-$/);
      expect(readFileSync(join(root, 'blobs/sha256', big.digest.slice(7))).equals(big.blob)).toBe(true);
    });

    test('a resumed range carrying wrong bytes fails verification and stores nothing', async () => {
      const big = image.layers[2]!;
      let first = true;
      const proxy = await startProxy(server.host, (req, upstream, res) => {
        if (req.method !== 'GET' || req.url?.endsWith(big.digest) !== true) return false;
        if (first) {
          first = false;
          res.writeHead(200, upstream.headers);
          let sent = 0;
          upstream.on('data', (c: Buffer) => {
            if (sent > 1000) return;
            sent += c.length;
            res.write(c, () => res.socket?.destroy());
          });
          return true;
        }
        upstream.resume();
        const start = Number(/bytes=(\d+)-/.exec(req.headers.range ?? '')?.[1] ?? 0);
        const body = Buffer.alloc(big.size - start, 0x41);
        res.writeHead(206, { 'Content-Range': `bytes ${start}-${big.size - 1}/${big.size}`, 'Content-Length': body.length }).end(body);
        return true;
      });
      servers.push(proxy);
      const root = join(tmp, 'sec18b');
      const err = await Image.pull(`${proxy.host}/cut/me:1`, { root }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DigestMismatchError);
      expect(existsSync(join(root, 'blobs/sha256', big.digest.slice(7)))).toBe(false);
      expect(readdirSync(join(root, 'ingest'))).toEqual([]);
    });
  });
});
