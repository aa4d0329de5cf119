import { mkdtempSync, readFileSync, rmSync, lstatSync, readlinkSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { applyLayer, unpackLayers } from '../../../lib/layer/index.js';
import { DigestMismatchError, LayerError } from '../../../lib/errors.js';
import { buildTar, gzipLayer, sha256 } from '../../helpers/tar-fixtures.js';

const TAR = 'application/vnd.oci.image.layer.v1.tar';
const GZ = 'application/vnd.oci.image.layer.v1.tar+gzip';
let dir: string;
beforeEach(() => { dir = mkdtempSync(join(tmpdir(), 'ocikit-apply-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const layer = (tar: Buffer, mediaType = TAR) => ({ stream: Readable.from([tar]), mediaType });

describe('applyLayer', () => {
  test('an empty layer (end-of-archive blocks only, as a commit of an untouched container writes) applies as nothing', async () => {
    const empty = Buffer.alloc(1024);
    const r = await applyLayer(layer(empty), dir);
    expect(r).toMatchObject({ entries: 0, size: 1024, diffId: sha256(empty) });
    expect(readdirSync(dir)).toEqual([]);
    const gz = await applyLayer(layer(gzipLayer(empty).blob, GZ), dir);
    expect(gz.entries).toBe(0);
  });

  test('bytes that are no tar are still refused', async () => {
    await expect(applyLayer(layer(Buffer.alloc(1024, 0x41)), dir)).rejects.toMatchObject({ code: 'ERR_LAYER_CORRUPT' });
  });

  test('writes files, dirs, symlinks, hardlinks, fifos with modes, owners and mtimes', async () => {
    const tar = buildTar([
      { name: 'etc/', mode: 0o750, mtime: 1_500_000_000 },
      { name: 'etc/passwd', content: 'root:x:0:0\n', mode: 0o640, uid: 12, gid: 34, mtime: 1_500_000_100 },
      { name: 'etc/link', type: 'symlink', target: '../etc/passwd' },
      { name: 'etc/hard', type: 'link', target: 'etc/passwd' },
      { name: 'bin/su', content: 'x', mode: 0o4755 },
      { name: 'tmp/', mode: 0o1777 },
      { name: 'run/fifo', type: 'fifo', mode: 0o600 },
      { name: 'dev/null', type: 'char', major: 1, minor: 3, mode: 0o666 },
    ]);
    const r = await applyLayer(layer(tar), dir);
    expect(r.diffId).toBe(sha256(tar));
    expect(readFileSync(join(dir, 'etc/passwd'), 'utf8')).toBe('root:x:0:0\n');
    const st = lstatSync(join(dir, 'etc/passwd'));
    expect([st.mode & 0o7777, st.uid, st.gid, st.mtimeMs]).toEqual([0o640, 12, 34, 1_500_000_100_000]);
    expect(lstatSync(join(dir, 'etc')).mode & 0o7777).toBe(0o750);
    expect(lstatSync(join(dir, 'etc')).mtimeMs).toBe(1_500_000_000_000);
    expect(readlinkSync(join(dir, 'etc/link'))).toBe('../etc/passwd');
    expect(lstatSync(join(dir, 'etc/hard')).ino).toBe(st.ino);
    expect(lstatSync(join(dir, 'bin/su')).mode & 0o7777).toBe(0o4755);
    expect(lstatSync(join(dir, 'tmp')).mode & 0o7777).toBe(0o1777);
    expect(lstatSync(join(dir, 'run/fifo')).isFIFO()).toBe(true);
    const dev = lstatSync(join(dir, 'dev/null'));
    expect(dev.isCharacterDevice()).toBe(true);
    expect(dev.rdev).toBe(0x103);
  });

  test('gzip layers are checked against digest and diff_id', async () => {
    const tar = buildTar([{ name: 'a', content: 'A' }]);
    const { blob, digest, diffId } = gzipLayer(tar);
    await applyLayer({ stream: Readable.from([blob]), mediaType: GZ, digest, diffId }, dir);
    expect(readFileSync(join(dir, 'a'), 'utf8')).toBe('A');
    const dir2 = join(dir, 'x');
    await expect(applyLayer({ stream: Readable.from([blob]), mediaType: GZ, diffId: sha256(Buffer.from('no')) }, dir2))
      .rejects.toBeInstanceOf(DigestMismatchError);
  });

  test('media type and magic bytes must agree', async () => {
    const tar = buildTar([{ name: 'a', content: 'A' }]);
    await expect(applyLayer(layer(tar, GZ), dir)).rejects.toMatchObject({ code: 'ERR_LAYER_COMPRESSION' });
    await expect(applyLayer(layer(gzipLayer(tar).blob, TAR), dir)).rejects.toMatchObject({ code: 'ERR_LAYER_COMPRESSION' });
  });

  test('long names through PAX and GNU records', async () => {
    const long = `${'d'.repeat(120)}/${'f'.repeat(200)}`;
    const tar = buildTar([
      { name: `${'d'.repeat(120)}/`, type: 'dir' },
      { name: long, content: 'pax' },
      { name: 'short-gnu', gnuLongName: `${'d'.repeat(120)}/${'g'.repeat(150)}`, content: 'gnu' },
    ]);
    await applyLayer(layer(tar), dir);
    expect(readFileSync(join(dir, long), 'utf8')).toBe('pax');
    expect(readFileSync(join(dir, 'd'.repeat(120), 'g'.repeat(150)), 'utf8')).toBe('gnu');
  });

  test('whiteouts delete lower entries; an opaque whiteout spares its own layer wherever it stands', async () => {
    const l1 = buildTar([
      { name: 'a/', type: 'dir' }, { name: 'a/old', content: '1' }, { name: 'a/sub/', type: 'dir' }, { name: 'a/sub/deep', content: '1' },
      { name: 'b', content: 'b' }, { name: 'c/', type: 'dir' }, { name: 'c/x', content: 'x' }, { name: 'f', content: 'file' },
    ]);
    const l2 = buildTar([
      { name: 'a/new', content: '2' },
      { name: 'a/sub/mine', content: '2' },
      { name: 'a/.wh..wh..opq' },
      { name: '.wh.b' },
      { name: '.wh.missing' },
      { name: 'c', content: 'file over dir' },
      { name: 'f/', type: 'dir' }, { name: 'f/in', content: 'dir over file' },
    ]);
    await unpackLayers([layer(l1), layer(l2)], dir);
    expect(readdirSync(join(dir, 'a')).sort()).toEqual(['new', 'sub']);
    expect(readdirSync(join(dir, 'a/sub'))).toEqual(['mine']);
    expect(existsSync(join(dir, 'b'))).toBe(false);
    expect(readFileSync(join(dir, 'c'), 'utf8')).toBe('file over dir');
    expect(readFileSync(join(dir, 'f/in'), 'utf8')).toBe('dir over file');
  });

  test('overlay whiteout mode writes char 0/0 devices and the opaque xattr', async () => {
    const tar = buildTar([{ name: 'a/', type: 'dir' }, { name: 'a/.wh..wh..opq' }, { name: 'a/.wh.gone' }]);
    await applyLayer(layer(tar), dir, { whiteouts: 'overlay' });
    const wh = lstatSync(join(dir, 'a/gone'));
    expect(wh.isCharacterDevice() && wh.rdev === 0).toBe(true);
    const { listXattrs } = await import('../../../lib/layer/node-ops.js');
    expect(listXattrs(join(dir, 'a')).get('trusted.overlay.opaque')?.toString()).toBe('y');
  });

  test('xattrs from PAX records are written', async () => {
    const tar = buildTar([{ name: 'bin/ping', content: 'p', xattrs: { 'user.test': Buffer.from([0, 1, 2, 255]) } }]);
    await applyLayer(layer(tar), dir);
    const { listXattrs } = await import('../../../lib/layer/node-ops.js');
    expect(listXattrs(join(dir, 'bin/ping')).get('user.test')).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  test('unpackLayers refuses a non-empty target', async () => {
    const tar = buildTar([{ name: 'a', content: 'A' }]);
    await unpackLayers([layer(tar)], dir);
    await expect(unpackLayers([layer(tar)], dir)).rejects.toBeInstanceOf(LayerError);
  });
});

describe('applyLayer edge cases', () => {
  test('overlay mode: a whiteout and an entry of the same name in one new directory', async () => {
    const tar = buildTar([{ name: 'd/', type: 'dir' }, { name: 'd/.wh.x' }, { name: 'd/x/', type: 'dir' }, { name: 'd/x/f', content: 'f' }, { name: 'd/.wh.y' }, { name: 'd/y', content: 'y' }]);
    await applyLayer(layer(tar), dir, { whiteouts: 'overlay' });
    const { listXattrs } = await import('../../../lib/layer/node-ops.js');
    expect(listXattrs(join(dir, 'd/x')).get('trusted.overlay.opaque')?.toString()).toBe('y');
    expect(readFileSync(join(dir, 'd/y'), 'utf8')).toBe('y');
  });

  test('a duplicate entry in a new directory replaces the first', async () => {
    const tar = buildTar([{ name: 'd/', type: 'dir' }, { name: 'd/f', content: 'one' }, { name: 'd/f', content: 'two' }, { name: 'd/f', type: 'symlink', target: 'x' }]);
    await applyLayer(layer(tar), dir);
    expect(readlinkSync(join(dir, 'd/f'))).toBe('x');
  });
});

describe('directory times', () => {
  test('a directory keeps its header mtime after its children are written, and lower directories keep theirs', async () => {
    const l1 = buildTar([{ name: 'a/', type: 'dir', mtime: 1_000_000_000 }, { name: 'a/f', content: 'f' }, { name: 'b/', type: 'dir', mtime: 1_100_000_000 }, { name: 'b/g', content: 'g' }]);
    const l2 = buildTar([{ name: 'a/new', content: 'n' }, { name: 'b/.wh.g' }, { name: 'b/sub/deep/h', content: 'h' }]);
    await unpackLayers([layer(l1), layer(l2)], dir);
    expect(lstatSync(join(dir, 'a')).mtimeMs).toBe(1_000_000_000_000);
    expect(lstatSync(join(dir, 'b')).mtimeMs).toBe(1_100_000_000_000);
    expect(existsSync(join(dir, 'b/g'))).toBe(false);
  });
});

describe('id maps', () => {
  const tar = buildTar([{ name: 'f', content: 'x', uid: 12, gid: 34 }]);
  test('owners are mapped through the ranges', async () => {
    await applyLayer(layer(tar), dir, { idMap: { uids: [{ containerID: 0, hostID: 100_000, size: 65_536 }], gids: [{ containerID: 0, hostID: 200_000, size: 65_536 }] } });
    const st = lstatSync(join(dir, 'f'));
    expect([st.uid, st.gid]).toEqual([100_012, 200_034]);
  });
  test('an unmapped id is an error', async () => {
    await expect(applyLayer(layer(tar), dir, { idMap: { uids: [{ containerID: 0, hostID: 100_000, size: 10 }], gids: [] } }))
      .rejects.toMatchObject({ code: 'ERR_LAYER_ID_UNMAPPED' });
  });
});
