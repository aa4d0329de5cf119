import { afterEach, describe, expect, test } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '../../../lib/index.js';
import { authKeys, findCredentials, removeCredentials, saveCredentials } from '../../../lib/registry/auth/credential-store.js';
import { hubSearchUrl, parseHubSearch } from '../../../lib/registry/search.js';
import { startFake, type FakeServer } from '../../helpers/http-fake.js';

const servers: FakeServer[] = [];
afterEach(async () => {
  while (servers.length > 0) await servers.pop()?.stop();
});

describe('tags list paging with Link headers (fake registry)', () => {
  test('n/last are sent and every page is followed', async () => {
    const tags = ['a', 'b', 'c', 'd', 'e'];
    const s = await startFake((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const n = Number(url.searchParams.get('n') ?? '100');
      const last = url.searchParams.get('last');
      const start = last === null ? 0 : tags.indexOf(last) + 1;
      const page = tags.slice(start, start + n);
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (start + n < tags.length) headers['Link'] = `</v2/r/tags/list?n=${n}&last=${page.at(-1) ?? ''}>; rel="next"`;
      res.writeHead(200, headers).end(JSON.stringify({ name: 'r', tags: page }));
    });
    servers.push(s);
    const reg = new Registry(s.host);
    expect(await reg.listTags('r', { n: 2 })).toEqual(tags);
    expect(s.requests.map((r) => r.url)).toEqual(['/v2/r/tags/list?n=2', '/v2/r/tags/list?n=2&last=b', '/v2/r/tags/list?n=2&last=d']);
    expect(await reg.listTags('r', { n: 2, last: 'c', all: false })).toEqual(['d', 'e']);
    reg.close();
  });

  test('a Link to another host is refused', async () => {
    const s = await startFake((_req, res) => {
      res.writeHead(200, { Link: '<http://127.0.0.2:1/v2/r/tags/list?n=1&last=a>; rel="next"' }).end('{"tags":["a"]}');
    });
    servers.push(s);
    const reg = new Registry(s.host);
    await expect(reg.listTags('r', { n: 1 })).rejects.toMatchObject({ code: 'ERR_UNSAFE_REDIRECT' });
    reg.close();
  });
});

describe('search', () => {
  test('Docker Hub: URL and result parsing, against a local fake of the search API', async () => {
    expect(hubSearchUrl('https://index.docker.io', 'busy box', 5)).toBe('https://index.docker.io/v1/search?q=busy+box&n=5');
    const s = await startFake((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({
        num_results: 2,
        results: [
          { name: 'busybox', description: 'Busybox base image.', star_count: 3000, is_official: true, is_automated: false },
          { name: 'someone/busybox', star_count: 2 },
        ],
      }));
    });
    servers.push(s);
    const hub = new Registry('docker.io', { hubSearchUrl: s.url, anonymous: true });
    const results = await hub.search('busybox', { limit: 10 });
    hub.close();
    expect(s.requests[0]?.url).toBe('/v1/search?q=busybox&n=10');
    expect(results).toEqual([
      { name: 'busybox', description: 'Busybox base image.', stars: 3000, official: true, automated: false },
      { name: 'someone/busybox', description: '', stars: 2, official: false, automated: false },
    ]);
    expect(() => parseHubSearch({})).toThrow();
  });
});

describe('token auth details (fake registry + realm)', () => {
  test('tokens are cached per scope; an identity token is exchanged by POST', async () => {
    const realm = await startFake((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        const grant = new URLSearchParams(body).get('refresh_token');
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ access_token: grant === null ? 'tok-basic' : `tok-${grant}`, expires_in: 300 }));
      });
    });
    servers.push(realm);
    const s = await startFake((req, res) => {
      if (req.headers.authorization === undefined) {
        res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="${realm.url}/token",service="svc"` }).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ tags: [req.headers.authorization] }));
    });
    servers.push(s);
    const reg = new Registry(s.host, { credentials: { username: '', password: '', identityToken: 'refresh-1' } });
    expect(await reg.listTags('a/b')).toEqual(['Bearer tok-refresh-1']);
    expect(await reg.listTags('a/b')).toEqual(['Bearer tok-refresh-1']);
    expect(await reg.listTags('c/d')).toEqual(['Bearer tok-refresh-1']);
    expect(realm.requests).toHaveLength(2);
    // concurrent requests of a new scope share one token request
    await Promise.all(Array.from({ length: 5 }, () => reg.listTags('e/f')));
    reg.close();
    expect(realm.requests).toHaveLength(3);
    expect(realm.requests.every((r) => r.method === 'POST')).toBe(true);
  });

  test('a realm over plain HTTP on a non-loopback host is refused', async () => {
    const s = await startFake((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="http://auth.example.invalid/token"' }).end();
    });
    servers.push(s);
    const reg = new Registry(s.host, { credentials: { username: 'u', password: 'p' } });
    await expect(reg.ping()).rejects.toMatchObject({ code: 'ERR_UNSAFE_TOKEN_REALM' });
    reg.close();
  });

  test('HTTPS is used for non-loopback registries unless listed insecure', () => {
    expect(new Registry('registry.example:5000').transport.protocol).toBe('https:');
    expect(new Registry('registry.example:5000', { insecureRegistries: ['registry.example:5000'] }).transport.protocol).toBe('http:');
    expect(new Registry('127.0.0.1:5000').transport.protocol).toBe('http:');
    expect(new Registry('docker.io').host).toBe('registry-1.docker.io');
  });
});

describe('credential files', () => {
  test('save, find and remove in config.json; Docker Hub uses the legacy key; podman auth.json is a fallback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocikit-creds-'));
    try {
      const paths = { dockerConfigPath: join(dir, 'config.json'), podmanAuthPath: join(dir, 'auth.json') };
      expect(authKeys('docker.io')[0]).toBe('https://index.docker.io/v1/');
      expect(await findCredentials('reg:5000', paths)).toBeUndefined();
      writeFileSync(paths.dockerConfigPath, JSON.stringify({ psFormat: 'keep me' }));
      await saveCredentials('docker.io', { username: 'me', password: 'pw' }, paths);
      const cfg = JSON.parse(readFileSync(paths.dockerConfigPath, 'utf8')) as Record<string, unknown>;
      expect(cfg['psFormat']).toBe('keep me');
      expect(cfg['auths']).toEqual({ 'https://index.docker.io/v1/': { auth: Buffer.from('me:pw').toString('base64') } });
      expect(await findCredentials('docker.io', paths)).toEqual({ username: 'me', password: 'pw' });
      writeFileSync(paths.podmanAuthPath, JSON.stringify({ auths: { 'reg:5000': { auth: Buffer.from('p:q').toString('base64') } } }));
      expect(await findCredentials('reg:5000', paths)).toEqual({ username: 'p', password: 'q' });
      expect(await removeCredentials('docker.io', paths)).toBe(true);
      expect(await removeCredentials('docker.io', paths)).toBe(false);
      expect(await findCredentials('docker.io', paths)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
