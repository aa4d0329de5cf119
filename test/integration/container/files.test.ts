import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Container } from '../../../lib/container/index.js';
import { Image } from '../../../lib/image/index.js';
import { writeBusyboxTar } from '../../helpers/busybox-rootfs.js';
import { treeListing } from '../../helpers/tree.js';

let base: string;
let image: Image;
const containers: Container[] = [];

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(Buffer.from(c as Buffer));
  return Buffer.concat(parts);
}

/** Lists a tar given as bytes with the system tar. */
function tarList(bytes: Buffer): string[] {
  const f = join(base, `t-${Math.random().toString(36).slice(2)}.tar`);
  writeFileSync(f, bytes);
  return execFileSync('tar', ['-tf', f], { encoding: 'utf8' }).split('\n').filter(Boolean);
}

/** Extracts one member of a tar to a string with the system tar. */
function tarCat(bytes: Buffer, member: string): string {
  const f = join(base, `t-${Math.random().toString(36).slice(2)}.tar`);
  writeFileSync(f, bytes);
  return execFileSync('tar', ['-xOf', f, member], { encoding: 'utf8' });
}

/** A tar (made with the system tar) of `files` under a temp dir. */
function makeTar(files: Record<string, string>, links: Record<string, string> = {}): Buffer {
  const d = mkdtempSync(join(base, 'src-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(d, name, '..'), { recursive: true });
    writeFileSync(join(d, name), content);
  }
  for (const [name, target] of Object.entries(links)) execFileSync('ln', ['-s', target, join(d, name)]);
  return execFileSync('tar', ['-C', d, '-cf', '-', '.']);
}

async function ran(cmd: string[], opts: { wait?: boolean } = {}): Promise<Container> {
  const c = await Container.run(image, { cmd });
  containers.push(c);
  if (opts.wait !== false) expect((await c.wait()).exitCode).toBe(0);
  return c;
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'ocikit-files-'));
  image = await Image.import(writeBusyboxTar(join(base, 'rootfs.tar')), { ref: 'files-test/busybox:1', changes: ['ENV PATH=/bin', 'CMD ["sh"]'] });
  writeFileSync(join(base, 'passwd-expected'), execFileSync('tar', ['-xOf', join(base, 'rootfs.tar'), './etc/passwd']));
});
afterAll(async () => {
  for (const c of containers) await c.remove({ force: true, volumes: true }).catch(() => undefined);
  await Image.remove('files-test/busybox:1').catch(() => undefined);
  rmSync(base, { recursive: true, force: true });
});

describe('container file operations', () => {
  test('export gives the merged root file system of a stopped container', async () => {
    const c = await ran(['sh', '-c', 'echo exported > /etc/new; rm /bin/wc']);
    const names = tarList(await collect(await c.export()));
    expect(names).toContain('etc/new');
    expect(names).toContain('bin/busybox');
    expect(names).not.toContain('bin/wc');
    expect(tarCat(await collect(await c.export()), 'etc/new')).toBe('exported\n');
  });

  test('diff lists added, changed and deleted paths', async () => {
    const c = await ran(['sh', '-c', 'echo x > /etc/x; rm /bin/wc; mkdir -p /new/d; echo 1 >> /etc/passwd']);
    expect(await c.diff()).toEqual([
      { kind: 'C', path: '/bin' }, { kind: 'D', path: '/bin/wc' },
      { kind: 'C', path: '/etc' }, { kind: 'C', path: '/etc/passwd' }, { kind: 'A', path: '/etc/x' },
      { kind: 'A', path: '/new' }, { kind: 'A', path: '/new/d' },
    ]);
    expect(await c.port()).toEqual([]);
  });

  test('copyFrom and copyTo on a stopped container; the next run sees the copy', async () => {
    const c = await ran(['sh', '-c', 'mkdir -p /data/sub && echo a > /data/a && echo b > /data/sub/b']);
    expect(tarList(await collect(await c.copyFrom('/data'))).sort()).toEqual(['data/', 'data/a', 'data/sub/', 'data/sub/b']);
    expect(tarList(await collect(await c.copyFrom('/data/.'))).sort()).toEqual(['a', 'sub/', 'sub/b']);
    expect(tarCat(await collect(await c.copyFrom('/data/sub/b')), 'b')).toBe('b\n');
    await expect(c.copyFrom('/nope')).rejects.toMatchObject({ code: 'ERR_PATH_NOT_FOUND' });
    await c.copyTo('/data', Readable.from(makeTar({ 'in/file.txt': 'copied in\n' })));
    await expect(c.copyTo('/missing', Readable.from(makeTar({ x: 'x' })))).rejects.toMatchObject({ code: 'ERR_PATH_NOT_FOUND' });
    await expect(c.copyTo('/', Readable.from(makeTar({ data: 'a file over a directory' })))).rejects.toMatchObject({ code: 'ERR_CANNOT_OVERWRITE' });
    expect(tarList(await collect(await c.copyFrom('/data/sub')))).toEqual(['sub/', 'sub/b']);
    await c.start();
    await c.wait();
    expect(tarCat(await collect(await c.copyFrom('/data/in/file.txt')), 'file.txt')).toBe('copied in\n');
    expect((await c.diff()).map((d) => `${d.kind} ${d.path}`)).toContain('A /data/in/file.txt');
  });

  test('copyTo and copyFrom on a running container', async () => {
    const c = await ran(['sh', '-c', 'echo running > /tmp/r; exec sleep 30'], { wait: false });
    for (let i = 0; i < 100 && (await c.statPath('/tmp/r')) === undefined; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await c.inspect()).State.Status).toBe('running');
    expect(tarCat(await collect(await c.copyFrom('/tmp/r')), 'r')).toBe('running\n');
    await c.copyTo('/tmp', Readable.from(makeTar({ 'hello.txt': 'hi from host\n' })));
    expect((await c.exec(['cat', '/tmp/hello.txt'])).stdout).toBe('hi from host\n');
    expect((await c.inspect()).State.Status).toBe('running');
    await c.stop({ timeout: 0 });
  });

  test('SECURITY 14: container symlinks (/out -> /, /etc2 -> a host dir) never lead cp to host files', async () => {
    const hostDir = mkdtempSync(join(tmpdir(), 'ocikit-host-etc-ish-'));
    writeFileSync(join(hostDir, 'secret'), 'host secret\n');
    const hostBefore = treeListing(hostDir);
    const rootBefore = existsSync('/pwned');
    const c = await ran(['sh', '-c', `ln -s / /out && ln -s ${hostDir} /etc2 && ln -s ${hostDir}/secret /leak && echo container > /etc/marker`]);
    // reading through the links: the container's files, never the host's
    expect(tarCat(await collect(await c.copyFrom('/out/etc/marker')), 'marker')).toBe('container\n');
    expect(tarCat(await collect(await c.copyFrom('/out/etc/passwd')), 'passwd')).toBe(readFileSync(join(base, 'passwd-expected'), 'utf8'));
    await expect(c.copyFrom('/etc2/secret')).rejects.toMatchObject({ code: 'ERR_PATH_NOT_FOUND' });
    await expect(c.copyFrom('/leak', { followLink: true })).rejects.toMatchObject({ code: 'ERR_PATH_NOT_FOUND' });
    // without -L the link itself is copied
    expect(tarList(await collect(await c.copyFrom('/leak')))).toEqual(['leak']);
    // writing through the links: into the container's tree only
    await c.copyTo('/out', Readable.from(makeTar({ pwned: 'x' })));
    await expect(c.copyTo('/etc2', Readable.from(makeTar({ secret: 'overwritten' })))).rejects.toMatchObject({ code: 'ERR_PATH_NOT_FOUND' });
    await c.copyTo('/', Readable.from(makeTar({ [`${hostDir.slice(1)}/keep`]: 'k' })));
    await c.copyTo('/etc2', Readable.from(makeTar({ secret: 'overwritten', added: 'y' })));
    // an archive's own symlink to / followed by a file through it
    const d1 = mkdtempSync(join(base, 'l-'));
    const d2 = mkdtempSync(join(base, 'f-'));
    execFileSync('ln', ['-s', '/', join(d1, 'zz')]);
    mkdirSync(join(d2, 'zz'));
    writeFileSync(join(d2, 'zz/evil'), 'e');
    const evil = join(base, 'evil.tar');
    execFileSync('tar', ['-cf', evil, '-C', d1, 'zz']);
    execFileSync('tar', ['-rf', evil, '-C', d2, 'zz/evil']);
    await c.copyTo('/tmp', Readable.from(readFileSync(evil)));
    expect(tarCat(await collect(await c.copyFrom('/evil')), 'evil')).toBe('e');
    expect(existsSync('/pwned')).toBe(rootBefore);
    expect(existsSync('/evil')).toBe(false);
    expect(treeListing(hostDir)).toEqual(hostBefore);
    expect(tarCat(await collect(await c.copyFrom('/pwned')), 'pwned')).toBe('x');
    expect(tarCat(await collect(await c.copyFrom(`${hostDir}/secret`)), 'secret')).toBe('overwritten');
    rmSync(hostDir, { recursive: true, force: true });
  });

  test('mount points the runtime adds to a bare image stay out of diff and commit, as Docker hides its init layer', async () => {
    const bare = join(base, 'bare');
    mkdirSync(join(bare, 'bin'), { recursive: true });
    execFileSync('sh', ['-c', `cp /bin/busybox ${bare}/bin/ && ln -s busybox ${bare}/bin/sh && ln -s busybox ${bare}/bin/touch`]);
    const tar = join(base, 'bare.tar');
    execFileSync('tar', ['-C', bare, '-cf', tar, '.']);
    const img = await Image.import(tar, { ref: 'files-test/bare:1', changes: ['ENV PATH=/bin'] });
    const c = await Container.run(img, { cmd: ['touch', '/made'], mounts: [{ type: 'tmpfs', target: '/scratch' }] });
    containers.push(c);
    expect((await c.wait()).exitCode).toBe(0);
    expect(await c.diff()).toEqual([{ kind: 'A', path: '/made' }, { kind: 'A', path: '/scratch' }]);
    const committed = await c.commit({ ref: 'files-test/bare:2' });
    const layer = committed.layers.at(-1);
    const listing = execFileSync('tar', ['-tzf', committed.store.blobPath(layer?.digest ?? '')], { encoding: 'utf8' });
    expect(listing.split('\n').filter(Boolean)).toEqual(['made', 'scratch/']);
    await c.remove();
    await Image.remove('files-test/bare:2');
    await Image.remove('files-test/bare:1');
  });

  test('commit makes a new image of the changes, with history, author and config changes', async () => {
    const c = await ran(['sh', '-c', 'echo committed > /etc/state && rm /bin/wc']);
    const img = await c.commit({ ref: 'files-test/committed:1', message: 'add state', author: 'Tester <t@example.com>', changes: ['ENV B=2', 'CMD ["cat", "/etc/state"]'] });
    expect(img.layers).toHaveLength(image.layers.length + 1);
    expect(img.config.rootfs.diff_ids.slice(0, -1)).toEqual(image.config.rootfs.diff_ids);
    expect(img.config.author).toBe('Tester <t@example.com>');
    expect(img.config.history?.at(-1)).toMatchObject({ created_by: 'sh -c echo committed > /etc/state && rm /bin/wc', comment: 'add state', author: 'Tester <t@example.com>' });
    expect(img.config.config?.Cmd).toEqual(['cat', '/etc/state']);
    expect(img.config.config?.Env).toContain('B=2');
    const again = await Container.run('files-test/committed:1', {});
    containers.push(again);
    expect(await again.wait()).toEqual({ exitCode: 0, oomKilled: false });
    const out: string[] = [];
    for await (const line of again.logs()) out.push(line);
    expect(out.join('')).toContain('committed');
    const check = await Container.run('files-test/committed:1', { cmd: ['sh', '-c', 'test ! -e /bin/wc'] });
    containers.push(check);
    expect((await check.wait()).exitCode).toBe(0);
    expect(await check.diff()).toEqual([]);
    // the store stays a valid OCI layout: umoci unpacks the committed image
    const bundle = join(base, 'bundle');
    execFileSync('skopeo', ['copy', `oci:${process.env['OCIKIT_ROOT']}:docker.io/files-test/committed:1`, `oci:${join(base, 'copy')}:c`], { stdio: 'pipe' });
    execFileSync('umoci', ['unpack', '--image', `${join(base, 'copy')}:c`, bundle], { stdio: 'pipe' });
    expect(readFileSync(join(bundle, 'rootfs/etc/state'), 'utf8')).toBe('committed\n');
    expect(existsSync(join(bundle, 'rootfs/bin/wc'))).toBe(false);
    await again.remove();
    await check.remove();
    await Image.remove('files-test/committed:1');
  });
});
