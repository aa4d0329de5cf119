import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, unlinkSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { applyLayer, diffDirectories, exportRootfs, importTar, unpackLayers } from '../../../lib/layer/index.js';
import { testImageTars } from '../../helpers/image-fixture.js';
import { sha256 } from '../../helpers/tar-fixtures.js';
import { treeListing } from '../../helpers/tree.js';

const TAR = 'application/vnd.oci.image.layer.v1.tar';
let base: string;
beforeEach(() => { base = mkdtempSync(join(tmpdir(), 'ocikit-diff-')); });
afterEach(() => rmSync(base, { recursive: true, force: true }));

async function collect(s: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of s) parts.push(c as Buffer);
  return Buffer.concat(parts);
}
const image = () => unpackLayers(testImageTars().map((t) => ({ stream: Readable.from([t]), mediaType: TAR })), join(base, 'lower'));

describe('diffDirectories', () => {
  test('changes between two trees, written as a layer, turn one into the other', async () => {
    await image();
    const lower = join(base, 'lower');
    const upper = join(base, 'upper');
    execFileSync('cp', ['-a', lower, upper]);
    writeFileSync(join(upper, 'etc/added'), 'a');
    writeFileSync(join(upper, 'etc/passwd'), 'changed, longer than before\n');
    unlinkSync(join(upper, 'etc/hosts-link'));
    rmSync(join(upper, 'opt'), { recursive: true });
    unlinkSync(join(upper, 'lib'));
    mkdirSync(join(upper, 'lib'));
    symlinkSync('/nowhere', join(upper, 'lib/dangling'));
    chmodSync(join(upper, 'bin/su'), 0o755);
    const changes = diffDirectories(lower, upper);
    expect(changes.list).toEqual([
      { kind: 'C', path: '/bin' }, { kind: 'C', path: '/bin/su' },
      { kind: 'C', path: '/etc' }, { kind: 'A', path: '/etc/added' }, { kind: 'D', path: '/etc/hosts-link' }, { kind: 'C', path: '/etc/passwd' },
      { kind: 'C', path: '/etc/passwd-link' },
      { kind: 'C', path: '/lib' }, { kind: 'A', path: '/lib/dangling' }, { kind: 'D', path: '/opt' },
    ]);
    const sink = new PassThrough();
    const [blob, bytes] = await Promise.all([changes.write(sink), collect(sink)]);
    expect(blob.digest).toBe(sha256(bytes));
    const target = join(base, 'target');
    execFileSync('cp', ['-a', lower, target]);
    const r = await applyLayer({ stream: Readable.from([bytes]), mediaType: blob.mediaType, digest: blob.digest, diffId: blob.diffId }, target);
    expect(r.diffId).toBe(blob.diffId);
    expect(treeListing(target)).toEqual(treeListing(upper));
  });

  test('the same changes give the same digest', async () => {
    await image();
    const lower = join(base, 'lower');
    const upper = join(base, 'upper');
    execFileSync('cp', ['-a', lower, upper]);
    writeFileSync(join(upper, 'new'), 'n');
    const a = await diffDirectories(lower, upper).write(new PassThrough().resume());
    const b = await diffDirectories(lower, upper).write(new PassThrough().resume());
    expect(a.digest).toBe(b.digest);
    writeFileSync(join(upper, 'new'), 'm');
    const c = await diffDirectories(lower, upper).write(new PassThrough().resume());
    expect(c.diffId).not.toBe(a.diffId);
  });
});

describe('exportRootfs and importTar', () => {
  test('export gives a tar that unpacks to the same tree; import compresses it with matching ids', async () => {
    await image();
    const tar = await collect(exportRootfs(join(base, 'lower')));
    const sink = new PassThrough();
    const [blob, gz] = await Promise.all([importTar(Readable.from([tar]), sink), collect(sink)]);
    expect(blob.diffId).toBe(sha256(tar));
    expect(blob.digest).toBe(sha256(gz));
    await applyLayer({ stream: Readable.from([gz]), mediaType: blob.mediaType, diffId: blob.diffId, digest: blob.digest }, join(base, 'copy'));
    expect(treeListing(join(base, 'copy'), { mtime: true })).toEqual(treeListing(join(base, 'lower'), { mtime: true }));
    expect(readFileSync(join(base, 'copy/etc/passwd'), 'utf8')).toContain('user');
  });
});

describe('zstd layers', () => {
  test('changes written with zstd apply back, digests checked', async () => {
    const lower = join(base, 'lower');
    const upper = join(base, 'upper');
    mkdirSync(lower);
    mkdirSync(upper);
    writeFileSync(join(upper, 'big'), Buffer.alloc(3 << 20, 5));
    writeFileSync(join(upper, 'small'), 'zstd');
    const sink = new PassThrough();
    const [blob, bytes] = await Promise.all([diffDirectories(lower, upper).write(sink, { compression: 'zstd' }), collect(sink)]);
    expect(blob.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+zstd');
    expect(bytes.length).toBeLessThan(10_000);
    await applyLayer({ stream: Readable.from([bytes]), mediaType: blob.mediaType, digest: blob.digest, diffId: blob.diffId }, lower);
    expect(treeListing(lower)).toEqual(treeListing(upper));
  });
});

describe('diff edge cases', () => {
  test('sockets are left out of layers', async () => {
    const lower = join(base, 'lower');
    const upper = join(base, 'upper');
    mkdirSync(lower);
    mkdirSync(upper);
    const { createServer } = await import('node:net');
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(join(upper, 'sock'), resolve));
    try {
      writeFileSync(join(upper, 'file'), 'f');
      const sink = new PassThrough();
      const [blob, bytes] = await Promise.all([diffDirectories(lower, upper).write(sink, { compression: 'none' }), collect(sink)]);
      await applyLayer({ stream: Readable.from([bytes]), mediaType: blob.mediaType }, join(base, 'out'));
      expect(readdirSync(join(base, 'out'))).toEqual(['file']);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('SECURITY 14: files swapped while a layer is written', () => {
  test.each([['small', 10], ['large', 3 << 20]])('a %s file replaced by a symlink to a host file is refused', async (_kind, size) => {
    const lower = join(base, 'lower');
    const upper = join(base, 'upper');
    mkdirSync(lower);
    mkdirSync(upper);
    writeFileSync(join(upper, 'f'), Buffer.alloc(size as number, 1));
    writeFileSync(join(base, 'host-secret'), Buffer.alloc(size as number, 2));
    const changes = diffDirectories(lower, upper);
    unlinkSync(join(upper, 'f'));
    symlinkSync(join(base, 'host-secret'), join(upper, 'f'));
    await expect(changes.write(new PassThrough().resume())).rejects.toMatchObject({ code: 'ERR_LAYER_CHANGED' });
  });
});
