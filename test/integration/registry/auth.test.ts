import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Image, Registry, RegistryError } from '../../../lib/index.js';
import { buildBusyboxImage, buildMultiLayerImage, pushBuiltImage, type BuiltImage } from '../../helpers/images.js';
import { startRegistry, startTokenServer, type RegistryServer, type TokenServer } from '../../helpers/registry-server.js';

let tmp: string;
let image: BuiltImage;
beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ocikit-auth-'));
  image = await buildBusyboxImage(tmp);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('htpasswd Basic auth over TLS with a custom CA', () => {
  let server: RegistryServer;
  beforeAll(async () => {
    server = await startRegistry({ htpasswd: { alice: 's3cret' }, tls: true });
  });
  afterAll(() => server.stop());

  test('push and pull with explicit credentials; anonymous is refused; unknown CA fails TLS', async () => {
    const opts = { ca: server.ca, credentials: { username: 'alice', password: 's3cret' } };
    await pushBuiltImage(image, server.host, 'team/bb:1', opts);
    const img = await Image.pull(`${server.host}/team/bb:1`, { ...opts, root: join(tmp, 'basic-store') });
    expect(img.digest).toBe(image.manifestDigest);
    const anon = new Registry(server.host, { ca: server.ca, anonymous: true });
    await expect(anon.listTags('team/bb')).rejects.toMatchObject({ code: 'ERR_UNAUTHORIZED', status: 401 });
    anon.close();
    const noCa = new Registry(server.host, { ...opts, ca: undefined, retry: { attempts: 1 } });
    // without the CA the loopback registry is spoken to over plain HTTP, which a TLS server refuses
    await expect(noCa.ping()).rejects.toBeInstanceOf(RegistryError);
    noCa.close();
  });

  test('login verifies then stores in config.json; stored credentials are used; logout removes them', async () => {
    const dockerConfigPath = join(tmp, 'docker', 'config.json');
    const reg = new Registry(server.host, { ca: server.ca, dockerConfigPath, podmanAuthPath: join(tmp, 'none.json') });
    await expect(reg.login({ username: 'alice', password: 'wrong' })).rejects.toMatchObject({ code: 'ERR_UNAUTHORIZED' });
    expect(existsSync(dockerConfigPath)).toBe(false);
    await reg.login({ username: 'alice', password: 's3cret' });
    const cfg = JSON.parse(readFileSync(dockerConfigPath, 'utf8')) as { auths: Record<string, { auth: string }> };
    expect(Buffer.from(cfg.auths[server.host]!.auth, 'base64').toString()).toBe('alice:s3cret');
    const stored = new Registry(server.host, { ca: server.ca, dockerConfigPath, podmanAuthPath: join(tmp, 'none.json') });
    expect(await stored.listTags('team/bb')).toEqual(['1']);
    stored.close();
    expect(await reg.logout()).toBe(true);
    const after = JSON.parse(readFileSync(dockerConfigPath, 'utf8')) as { auths: Record<string, unknown> };
    expect(after.auths[server.host]).toBeUndefined();
    reg.close();
  });

  test("Podman's auth.json and a docker-credential helper are read", async () => {
    const podmanAuthPath = join(tmp, 'containers', 'auth.json');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(tmp, 'containers'), { recursive: true });
    writeFileSync(podmanAuthPath, JSON.stringify({ auths: { [server.host]: { auth: Buffer.from('alice:s3cret').toString('base64') } } }));
    const viaPodman = new Registry(server.host, { ca: server.ca, dockerConfigPath: join(tmp, 'absent.json'), podmanAuthPath });
    expect(await viaPodman.listTags('team/bb')).toEqual(['1']);
    viaPodman.close();

    const bin = join(tmp, 'bin');
    mkdirSync(bin, { recursive: true });
    const helper = join(bin, 'docker-credential-ocitest');
    writeFileSync(helper, `#!/bin/sh\nread server\n[ "$1" = get ] && [ "$server" = "${server.host}" ] && echo '{"ServerURL":"x","Username":"alice","Secret":"s3cret"}' && exit 0\necho "credentials not found in native keychain"; exit 1\n`);
    chmodSync(helper, 0o755);
    const dockerConfigPath = join(tmp, 'helper-config.json');
    writeFileSync(dockerConfigPath, JSON.stringify({ credHelpers: { [server.host]: 'ocitest' } }));
    const oldPath = process.env['PATH'];
    process.env['PATH'] = `${bin}:${oldPath ?? ''}`;
    try {
      const viaHelper = new Registry(server.host, { ca: server.ca, dockerConfigPath });
      expect(await viaHelper.listTags('team/bb')).toEqual(['1']);
      viaHelper.close();
    } finally {
      process.env['PATH'] = oldPath;
    }
  });
});

describe('token auth (Bearer) with our JWT token server', () => {
  let token: TokenServer;
  let server: RegistryServer;
  beforeAll(async () => {
    token = await startTokenServer(tmp, { bob: 'pw' });
    server = await startRegistry({ token });
  });
  afterAll(async () => {
    await server.stop();
    await token.stop();
  });

  test('push and pull fetch a token per scope once, with credentials sent only to the realm', async () => {
    const credentials = { username: 'bob', password: 'pw' };
    await pushBuiltImage(image, server.host, 'bob/app:1', { credentials });
    const before = token.requests.length;
    const reg = new Registry(server.host, { credentials });
    const m = await reg.getManifest('bob/app', '1');
    await reg.headManifest('bob/app', '1');
    await reg.blobBytes('bob/app', image.configDigest);
    expect(await reg.listTags('bob/app')).toEqual(['1']);
    reg.close();
    expect(m.digest).toBe(image.manifestDigest);
    const fetched = token.requests.slice(before);
    expect(fetched).toHaveLength(1);
    expect(fetched[0]?.query).toContain('scope=repository%3Abob%2Fapp%3Apull');
    expect(fetched[0]?.authorization).toBe(`Basic ${Buffer.from('bob:pw').toString('base64')}`);
  });

  test('one pull (manifest, config, concurrent layers) makes one token request', async () => {
    const credentials = { username: 'bob', password: 'pw' };
    const multi = await buildMultiLayerImage({ parent: tmp });
    await pushBuiltImage(multi, server.host, 'bob/multi:1', { credentials });
    const before = token.requests.length;
    const img = await Image.pull(`${server.host}/bob/multi:1`, { credentials, root: join(tmp, 'token-store') });
    expect(img.digest).toBe(multi.manifestDigest);
    expect(token.requests.length - before).toBe(1);
  });

  test('anonymous and wrong credentials are refused with typed errors', async () => {
    const anon = new Registry(server.host, { anonymous: true });
    await expect(anon.getManifest('bob/app', '1')).rejects.toMatchObject({ code: 'ERR_UNAUTHORIZED' });
    anon.close();
    const wrong = new Registry(server.host, { credentials: { username: 'bob', password: 'nope' } });
    await expect(wrong.getManifest('bob/app', '1')).rejects.toMatchObject({ code: 'ERR_UNAUTHORIZED', status: 401 });
    await expect(wrong.login({ username: 'bob', password: 'nope' })).rejects.toMatchObject({ code: 'ERR_UNAUTHORIZED' });
    wrong.close();
  });
});
