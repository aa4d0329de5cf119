// Hostile configs and bad arguments at the public API: typed errors, refused at create, nothing left.
import { jest } from '@jest/globals';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container } from '../../../lib/container/index.js';
import { ContainerError, ImageError } from '../../../lib/errors.js';
import { Image } from '../../../lib/image/image.js';
import { formatPlatform, hostPlatform } from '../../../lib/image/platform.js';
import { buildLayer, busyboxFiles, writeImageLayout } from '../../helpers/images.js';
import { containersDir, loadBusybox, removeMine } from './helpers.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;
jest.setTimeout(60_000);

const IMG = 'ocikit-test/hostile:latest';

/** An image archive whose config blob is `config` as given (bytes, not an object). */
async function archiveWithConfig(config: Buffer): Promise<{ tar: string; cleanup: () => void }> {
  const tmp = mkdtempSync(join(tmpdir(), 'ocikit-hostile-'));
  const built = writeImageLayout(join(tmp, 'layout'), [await buildLayer(busyboxFiles())]);
  const blobs = join(built.dir, 'blobs', 'sha256');
  rmSync(join(blobs, built.configDigest.slice(7)));
  rmSync(join(blobs, built.manifestDigest.slice(7)));
  const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
  writeFileSync(join(blobs, sha(config)), config);
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${sha(config)}`, size: config.length },
    layers: built.layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  }));
  writeFileSync(join(blobs, sha(manifest)), manifest);
  writeFileSync(join(built.dir, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: `sha256:${sha(manifest)}`, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }],
  }));
  const tar = join(tmp, 'image.tar');
  execFileSync('tar', ['-cf', tar, '-C', built.dir, '.']);
  return { tar, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

const containerCount = (): number => readdirSync(containersDir()).length;

asRoot('hostile configs and arguments', () => {
  beforeAll(async () => {
    await loadBusybox(IMG);
  });
  afterAll(async () => {
    await removeMine();
  });

  test('20k env entries in the image and 20k in the options: create and start stay fast, merged in order', async () => {
    const n = 20_000;
    const env = Array.from({ length: n }, (_, i) => `K${i}=image`);
    await loadBusybox('ocikit-test/env20k:latest', { Env: ['PATH=/bin', ...env] });
    const opts = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? `K${i}=opt` : `N${i}=new`));
    const t0 = performance.now();
    const c = await Container.create('ocikit-test/env20k', { env: opts, cmd: ['sh', '-c', 'echo $K0 $K1 $K19998 $N19999; env | wc -l'] });
    const created = performance.now() - t0;
    try {
      const out: Buffer[] = [];
      const t1 = performance.now();
      await c.start();
      const started = performance.now() - t1;
      c.stdout.on('data', (d: Buffer) => out.push(d));
      expect(await c.wait()).toEqual({ exitCode: 0, oomKilled: false });
      // PATH, HOSTNAME, 20k image entries, 10k new ones (HOME is added by the shell's env)
      const [vars, count] = Buffer.concat(out).toString().trim().split('\n');
      expect(vars).toBe('opt image opt new');
      expect(Number(count)).toBeGreaterThanOrEqual(n + n / 2 + 2);
      // the quadratic merge took ~9 s each on this machine; generous bounds, not a benchmark
      expect(created).toBeLessThan(5000);
      expect(started).toBeLessThan(5000);
    } finally {
      await c.remove({ force: true });
    }
  });

  test('an image config that is not JSON is refused with ImageError, not SyntaxError', async () => {
    const { tar, cleanup } = await archiveWithConfig(Buffer.from('{"architecture":"amd64", not json'));
    try {
      const err: unknown = await Image.load(tar).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImageError);
      expect(err).toMatchObject({ code: 'ERR_IMAGE_INVALID', message: expect.stringContaining('image config is not valid JSON') });
    } finally {
      cleanup();
    }
  });

  test('an image config over 8 MiB is refused with ERR_CONFIG_TOO_LARGE', async () => {
    const env = Array.from({ length: 550_000 }, (_, i) => `VARIABLE_${i}=value`);
    const big = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Env: env }, rootfs: { type: 'layers', diff_ids: [] } }));
    expect(big.length).toBeGreaterThan(8 * 1024 * 1024);
    const { tar, cleanup } = await archiveWithConfig(big);
    try {
      const t0 = performance.now();
      const err: unknown = await Image.load(tar).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImageError);
      expect(err).toMatchObject({ code: 'ERR_CONFIG_TOO_LARGE', message: expect.stringMatching(/image config is [\d.]+ MiB, over the limit of 8 MiB$/) });
      expect(performance.now() - t0).toBeLessThan(10_000);
    } finally {
      cleanup();
    }
  });

  test('Container.run(undefined) and bad options are typed errors', async () => {
    const before = containerCount();
    for (const bad of [undefined, null, 42, {}]) {
      const err: unknown = await Container.run(bad as unknown as string).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ContainerError);
      expect(err).toMatchObject({ code: 'ERR_INVALID_OPTION', message: expect.stringMatching(/^invalid image argument: expected a reference string or an Image, got /) });
    }
    await expect(Container.run(IMG, null as unknown as object)).rejects.toMatchObject({ code: 'ERR_INVALID_OPTION' });
    expect(containerCount()).toBe(before);
  });

  test('a NUL byte in env is refused at create, naming the variable', async () => {
    const before = containerCount();
    const err: unknown = await Container.create(IMG, { env: { OK: '1', EVIL: 'a\0b' }, cmd: ['true'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContainerError);
    expect(err).toMatchObject({ code: 'ERR_INVALID_ENV', message: 'invalid environment variable "EVIL": it contains a NUL byte' });
    expect(containerCount()).toBe(before);
  });

  test('an unknown StopSignal (image or option) is refused at create', async () => {
    await loadBusybox('ocikit-test/badstop:latest', { StopSignal: 'SIGBOGUS' });
    const before = containerCount();
    await expect(Container.create('ocikit-test/badstop', { cmd: ['true'] })).rejects.toMatchObject({ code: 'ERR_INVALID_SIGNAL', message: expect.stringContaining("the image's StopSignal") });
    await expect(Container.create(IMG, { cmd: ['true'], stopSignal: 'SIGNOPE' })).rejects.toMatchObject({ code: 'ERR_INVALID_SIGNAL', message: expect.stringContaining('the stopSignal option') });
    expect(containerCount()).toBe(before);
    // an option naming a good signal overrides the image's bad one, as in Docker
    const c = await Container.create('ocikit-test/badstop', { cmd: ['true'], stopSignal: 'SIGINT' });
    await c.remove();
  });

  test('kill with an unknown signal is a typed error, and the container keeps running', async () => {
    const c = await Container.run(IMG, { cmd: ['sleep', '30'], detach: true });
    try {
      for (const s of ['SIGBOGUS', 999, -1]) {
        const err: unknown = await c.kill(s as NodeJS.Signals).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ContainerError);
        expect(err).toMatchObject({ code: 'ERR_INVALID_SIGNAL' });
      }
      expect((await c.inspect()).State.Running).toBe(true);
    } finally {
      await c.remove({ force: true });
    }
  });

  test('an image for another platform is refused at create unless the platform option names it', async () => {
    const host = formatPlatform(hostPlatform());
    const foreign = hostPlatform().architecture === 'arm64' ? { architecture: 'amd64' } : { architecture: 'arm64', variant: 'v8' };
    const foreignText = formatPlatform({ os: 'linux', ...foreign });
    await loadBusybox('ocikit-test/foreign:latest', {}, undefined, foreign);
    const before = containerCount();
    const err: unknown = await Container.run('ocikit-test/foreign', { cmd: ['true'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageError);
    expect(err).toMatchObject({ code: 'ERR_PLATFORM_MISMATCH', message: expect.stringContaining(`is for ${foreignText}, but this host is ${host}`) });
    await expect(Container.create('ocikit-test/foreign', { cmd: ['true'], platform: host })).rejects.toMatchObject({
      code: 'ERR_PLATFORM_MISMATCH', message: expect.stringContaining(`not for the requested platform ${host}`),
    });
    expect(containerCount()).toBe(before);
    const c = await Container.create('ocikit-test/foreign', { cmd: ['true'], platform: foreignText });
    await c.remove();
  });

  test('a bogus platform option is refused at create', async () => {
    for (const platform of ['bogus', 'linux/bogus', 'linux/amd64/x/y']) {
      const err: unknown = await Container.create(IMG, { cmd: ['true'], platform }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ImageError);
      expect(err).toMatchObject({ code: 'ERR_INVALID_PLATFORM' });
    }
  });

  test('bind mounts onto /proc or under it are refused at create', async () => {
    const before = containerCount();
    for (const target of ['/proc', '/proc/sys/kernel', '/proc/self/']) {
      const err: unknown = await Container.create(IMG, { cmd: ['true'], mounts: [{ type: 'bind', source: '/tmp', target }] }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ContainerError);
      expect(err).toMatchObject({ code: 'ERR_INVALID_MOUNT', message: expect.stringContaining('/proc') });
    }
    await expect(Container.create(IMG, { cmd: ['true'], mounts: [{ type: 'tmpfs', target: '/proc' }] })).rejects.toMatchObject({ code: 'ERR_INVALID_MOUNT' });
    expect(containerCount()).toBe(before);
  });
});
