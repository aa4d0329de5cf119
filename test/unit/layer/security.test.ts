import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { applyLayer, unpackLayers, type ApplyOptions } from '../../../lib/layer/index.js';
import { LayerError } from '../../../lib/errors.js';
import { listXattrs } from '../../../lib/layer/node-ops.js';
import { removeTree } from '../../../lib/layer/remove-tree.js';
import { buildTar, rawHeader, type FixtureEntry } from '../../helpers/tar-fixtures.js';
import { treeListing } from '../../helpers/tree.js';

const TAR = 'application/vnd.oci.image.layer.v1.tar';
let base: string;
let root: string;
let outside: string;
let before: string[];

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'ocikit-sec-'));
  root = join(base, 'root');
  outside = join(base, 'outside');
  mkdirSync(root);
  mkdirSync(outside);
  writeFileSync(join(outside, 'sentinel'), 'keep me');
  writeFileSync(join(base, 'x'), 'keep me too');
  before = treeListing(base, { exclude: root, mtime: true });
});
afterEach(() => {
  expect(treeListing(base, { exclude: root, mtime: true })).toEqual(before);
  removeTree(base);
});

const apply = (entries: (FixtureEntry | Buffer)[], opts: ApplyOptions = {}) =>
  applyLayer({ stream: Readable.from([buildTar(entries)]), mediaType: TAR }, root, opts);
const layers = (...ls: (FixtureEntry | Buffer)[][]) =>
  unpackLayers(ls.map((l) => ({ stream: Readable.from([buildTar(l)]), mediaType: TAR })), root);

describe('SECURITY 1: entry names never land outside the root', () => {
  test.each(['../x', 'a/../../x', '../../../../../x'])('%s is refused', async (name) => {
    await expect(apply([{ name, content: 'evil' }])).rejects.toMatchObject({ name: 'LayerError', code: 'ERR_LAYER_PATH_ESCAPE' });
  });
  test('absolute names and backslashes stay inside the root', async () => {
    await apply([
      { name: '/etc/x', content: '1' }, { name: '////etc/y', content: '2' },
      { name: 'C:\\x', content: '3' }, { name: 'x\\..\\..\\y', content: '4' },
    ]);
    expect(readFileSync(join(root, 'etc/x'), 'utf8')).toBe('1');
    expect(readFileSync(join(root, 'etc/y'), 'utf8')).toBe('2');
    expect(readFileSync(join(root, 'C:\\x'), 'utf8')).toBe('3');
    expect(readFileSync(join(root, 'x\\..\\..\\y'), 'utf8')).toBe('4');
  });
});

describe('SECURITY 2: a directory replaced by a symlink is not followed out', () => {
  test('d, then d -> outside, then d/f', async () => {
    await apply([{ name: 'd/', type: 'dir' }, { name: 'd', type: 'symlink', target: outside }, { name: 'd/f', content: 'evil' }]);
    expect(readFileSync(join(root, outside, 'f'), 'utf8')).toBe('evil');
  });
});

describe('SECURITY 3: symlinks that climb are resolved inside the root', () => {
  test('l -> ../.. then l/x, and a hardlink made through l', async () => {
    await apply([
      { name: 'a/l', type: 'symlink', target: '../../..' },
      { name: 'a/l/x', content: 'inside' },
      { name: 'abs', type: 'symlink', target: '/' },
      { name: 'abs/y', content: 'inside too' },
      { name: 'a/l/h', type: 'link', target: 'a/l/x' },
    ]);
    expect(readFileSync(join(root, 'x'), 'utf8')).toBe('inside');
    expect(readFileSync(join(root, 'y'), 'utf8')).toBe('inside too');
    expect(lstatSync(join(root, 'h')).ino).toBe(lstatSync(join(root, 'x')).ino);
  });
});

describe('SECURITY 4: hardlink targets are resolved inside the root or refused', () => {
  test.each([
    ['/etc/passwd', 'ERR_LAYER_LINK_TARGET'],
    ['../x', 'ERR_LAYER_PATH_ESCAPE'],
    ['s/sentinel', 'ERR_LAYER_LINK_TARGET'],
  ])('target %s', async (target, code) => {
    await expect(apply([{ name: 's', type: 'symlink', target: outside }, { name: 'h', type: 'link', target }]))
      .rejects.toMatchObject({ name: 'LayerError', code });
    expect(lstatSync(join(outside, 'sentinel')).nlink).toBe(1);
  });
});

describe('SECURITY 5: oversize names and headers give a clear error', () => {
  test('a component over 255 bytes', async () => {
    await expect(apply([{ name: `d/${'n'.repeat(256)}`, content: '' }])).rejects.toMatchObject({ code: 'ERR_LAYER_NAME_TOO_LONG' });
  });
  test('a path over 4096 bytes', async () => {
    await expect(apply([{ name: Array(50).fill('p'.repeat(100)).join('/'), content: '' }])).rejects.toMatchObject({ code: 'ERR_LAYER_NAME_TOO_LONG' });
  });
  test('5,000 nested directories', async () => {
    const entries: FixtureEntry[] = [];
    for (let i = 1; i <= 5000; i++) entries.push({ name: `${Array(i).fill('a').join('/')}/`, type: 'dir' });
    await expect(apply(entries)).rejects.toMatchObject({ code: 'ERR_LAYER_NAME_TOO_LONG' });
  });
  test('an extended header over 1 MiB', async () => {
    const body = Buffer.alloc(2 << 20, 0x61);
    const hdr = rawHeader({ name: 'PaxHeader', typeflag: 'x', size: body.length });
    await expect(apply([hdr, body, { name: 'f', content: 'x' }])).rejects.toMatchObject({ code: 'ERR_LAYER_META_TOO_LARGE' });
  });
  test('PAX and GNU long names that disagree: the GNU name wins and is checked like any other', async () => {
    await expect(apply([{ name: 'short', gnuLongName: '../../gnu-name', pax: { path: 'pax-name' }, content: 'c' }]))
      .rejects.toMatchObject({ code: 'ERR_LAYER_PATH_ESCAPE' });
    await apply([{ name: 'short', gnuLongName: 'gnu-name', pax: { path: '../../pax-name' }, content: 'c' }]);
    expect(readFileSync(join(root, 'gnu-name'), 'utf8')).toBe('c');
  });
});

describe('SECURITY 6: bombs and truncated streams fail', () => {
  const bombTar = buildTar([{ name: 'zeros', content: Buffer.alloc(8 << 20) }]);
  test('gzip bomb over maxSize', async () => {
    const blob = gzipSync(bombTar);
    await expect(applyLayer({ stream: Readable.from([blob]), mediaType: `${TAR}+gzip` }, root, { maxSize: 1 << 20 }))
      .rejects.toMatchObject({ code: 'ERR_LAYER_TOO_LARGE' });
  });
  test('zstd bomb over maxSize', async () => {
    const blob = execFileSync('zstd', ['-c', '-q'], { input: bombTar });
    await expect(applyLayer({ stream: Readable.from([blob]), mediaType: `${TAR}+zstd` }, root, { maxSize: 1 << 20 }))
      .rejects.toMatchObject({ code: 'ERR_LAYER_TOO_LARGE' });
  });
  test('a size header larger than the data', async () => {
    const tar = Buffer.concat([rawHeader({ name: 'f', typeflag: '0', size: 100_000 }), Buffer.alloc(1024, 0x41)]);
    await expect(applyLayer({ stream: Readable.from([tar]), mediaType: TAR }, root)).rejects.toMatchObject({ code: 'ERR_LAYER_CORRUPT' });
  });
  test('a truncated gzip stream', async () => {
    const blob = gzipSync(buildTar([{ name: 'f', content: Buffer.alloc(100_000, 1) }]));
    await expect(applyLayer({ stream: Readable.from([blob.subarray(0, blob.length - 30)]), mediaType: `${TAR}+gzip` }, root))
      .rejects.toBeInstanceOf(LayerError);
  });
});

describe('SECURITY 7: whiteouts', () => {
  test('a bare .wh. is refused', async () => {
    await expect(apply([{ name: 'd/.wh.' }])).rejects.toMatchObject({ code: 'ERR_LAYER_WHITEOUT_INVALID' });
  });
  test('an opaque whiteout after its siblings still applies first', async () => {
    await layers([{ name: 'd/old', content: 'o' }], [{ name: 'd/new', content: 'n' }, { name: 'd/.wh..wh..opq' }]);
    expect(existsSync(join(root, 'd/old'))).toBe(false);
    expect(readFileSync(join(root, 'd/new'), 'utf8')).toBe('n');
  });
  test('overlay mode: whiteouts and opaque markers through a symlink stay inside', async () => {
    await apply([{ name: 'l', type: 'symlink', target: outside }, { name: 'l/.wh.sentinel' }, { name: 'l/.wh..wh..opq' }], { whiteouts: 'overlay' });
    expect(lstatSync(join(root, outside, 'sentinel')).isCharacterDevice()).toBe(true);
    expect(listXattrs(outside).has('trusted.overlay.opaque')).toBe(false);
  });
  test('a whiteout reached through a symlink stays inside; one for a missing path does nothing', async () => {
    await layers([{ name: 'l', type: 'symlink', target: outside }], [{ name: 'l/.wh.sentinel' }, { name: 'nope/.wh.nothing' }]);
    expect(existsSync(join(outside, 'sentinel'))).toBe(true);
  });
});

describe('SECURITY 8: devices, setuid and xattrs only where the caller allows', () => {
  const entries: FixtureEntry[] = [
    { name: 'dev/sda', type: 'block', major: 8, minor: 0 },
    { name: 'bin/su', content: 's', mode: 0o4755 },
    { name: 'bin/ping', content: 'p', xattrs: { 'trusted.evil': 'x', 'user.ok': 'y' } },
  ];
  test('unprivileged: dropped', async () => {
    await apply(entries, { privileged: false });
    expect(existsSync(join(root, 'dev/sda'))).toBe(false);
    expect(lstatSync(join(root, 'bin/su')).mode & 0o7777).toBe(0o755);
    const x = listXattrs(join(root, 'bin/ping'));
    expect([x.has('trusted.evil'), x.get('user.ok')?.toString()]).toEqual([false, 'y']);
  });
  test('unprivileged with onRefused: error', async () => {
    await expect(apply(entries, { privileged: false, onRefused: 'error' })).rejects.toMatchObject({ code: 'ERR_LAYER_NOT_ALLOWED' });
  });
  test('privileged: kept', async () => {
    await apply(entries, { privileged: true });
    expect(lstatSync(join(root, 'dev/sda')).isBlockDevice()).toBe(true);
    expect(lstatSync(join(root, 'bin/su')).mode & 0o7777).toBe(0o4755);
    expect(listXattrs(join(root, 'bin/ping')).get('trusted.evil')?.toString()).toBe('x');
  });
});
