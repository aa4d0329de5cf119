import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Image } from '../../../lib/image/index.js';
import { applyConfigChanges } from '../../../lib/image/config-changes.js';
import { hostPlatform } from '../../../lib/image/platform.js';
import { ImageError } from '../../../lib/errors.js';
import { testImageTars } from '../../helpers/image-fixture.js';
import { writeLayout } from '../../helpers/oci-layout.js';
import { treeListing } from '../../helpers/tree.js';

let base: string;
let root: string;
beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'ocikit-unpack-import-'));
  root = join(base, 'root');
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A rootfs tar of busybox-static made with the system tar. */
function busyboxTar(dir: string): string {
  const rootfs = join(dir, 'rootfs');
  execFileSync('sh', ['-c', `mkdir -p ${rootfs}/bin ${rootfs}/etc ${rootfs}/tmp && cp /bin/busybox ${rootfs}/bin/ && for a in sh echo cat ls true; do ln -s busybox ${rootfs}/bin/$a; done && echo 'root:x:0:0:root:/root:/bin/sh' > ${rootfs}/etc/passwd`]);
  const tar = join(dir, 'rootfs.tar');
  execFileSync('tar', ['-C', rootfs, '-cf', tar, '.']);
  return tar;
}

describe('image.unpack', () => {
  test('equals `umoci unpack` rootfs for a multi-layer image with whiteouts', async () => {
    const layoutDir = join(base, 'layout');
    writeLayout(layoutDir, testImageTars());
    execFileSync('umoci', ['unpack', '--image', `${layoutDir}:test`, join(base, 'bundle')], { stdio: 'pipe' });
    const archive = join(base, 'layout.tar');
    execFileSync('tar', ['-C', layoutDir, '-cf', archive, '.']);
    const [loaded] = await Image.load(archive, { root });
    expect(loaded).toBeDefined();
    const image = loaded as Image;
    await image.tag('unpack/test:1');
    const ours = join(base, 'ours');
    const results = await image.unpack(ours);
    expect(results.map((r) => r.diffId)).toEqual(image.config.rootfs.diff_ids);
    const theirs = treeListing(join(base, 'bundle/rootfs'));
    expect(theirs.length).toBeGreaterThan(25);
    expect(treeListing(ours)).toEqual(theirs);
    await expect(image.unpack(ours)).rejects.toMatchObject({ code: 'ERR_LAYER_TARGET_NOT_EMPTY' });
    await Image.remove('unpack/test:1', { root });
  });
});

describe('Image.import', () => {
  test('a rootfs tar becomes a one-layer image with host platform, history, changes and a tag', async () => {
    const dir = mkdtempSync(join(base, 'imp-'));
    const tar = busyboxTar(dir);
    const image = await Image.import(tar, {
      root,
      ref: 'imported/busybox:1',
      changes: ['CMD ["/bin/sh", "-c", "echo hi"]', 'ENV A=1 B="two words"', 'WORKDIR /tmp', 'USER 0:0', 'LABEL k=v', 'EXPOSE 80 53/udp', 'VOLUME /data', 'STOPSIGNAL SIGINT'],
    });
    expect(image.layers).toHaveLength(1);
    expect(image.layers[0]?.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(image.config.os).toBe(hostPlatform().os);
    expect(image.config.architecture).toBe(hostPlatform().architecture);
    expect(image.config.history).toEqual([{ created: image.config.created, comment: `Imported from ${tar}` }]);
    expect(image.config.config).toEqual({
      Cmd: ['/bin/sh', '-c', 'echo hi'], Env: ['A=1', 'B=two words'], WorkingDir: '/tmp', User: '0:0', Labels: { k: 'v' },
      ExposedPorts: { '80/tcp': {}, '53/udp': {} }, Volumes: { '/data': {} }, StopSignal: 'SIGINT',
    });
    const got = await Image.get('imported/busybox:1', { root });
    expect(got.digest).toBe(image.digest);
    const out = join(dir, 'out');
    await got.unpack(out);
    expect(treeListing(out)).toEqual(treeListing(join(dir, 'rootfs')));
    // skopeo reads the store as an OCI layout
    const inspected = JSON.parse(execFileSync('skopeo', ['inspect', '--raw', `oci:${root}:docker.io/imported/busybox:1`], { encoding: 'utf8' })) as { layers: unknown[] };
    expect(inspected.layers).toHaveLength(1);
    await Image.remove('imported/busybox:1', { root });
  });

  test('a gzip stream imports to the same layer; message and platform are used', async () => {
    const dir = mkdtempSync(join(base, 'imp-'));
    const tar = busyboxTar(dir);
    writeFileSync(`${tar}.gz`, gzipSync(readFileSync(tar)));
    const a = await Image.import(tar, { root, ref: 'imported/a:1' });
    const b = await Image.import(createReadStream(`${tar}.gz`), { root, ref: 'imported/b:1', message: 'from a pipe', platform: 'linux/arm64' });
    expect(b.config.rootfs.diff_ids).toEqual(a.config.rootfs.diff_ids);
    expect(b.config.history?.[0]?.comment).toBe('from a pipe');
    expect(b.config.architecture).toBe('arm64');
    await Image.remove('imported/a:1', { root });
    await Image.remove('imported/b:1', { root });
  });

  test('refuses an empty input and an unknown instruction, storing nothing', async () => {
    const empty = join(base, 'empty.tar');
    writeFileSync(empty, '');
    await expect(Image.import(empty, { root, ref: 'imported/empty:1' })).rejects.toMatchObject({ code: 'ERR_IMPORT_INVALID' });
    await expect(Image.import(empty, { root, changes: ['RUN rm -rf /'] })).rejects.toBeInstanceOf(ImageError);
    const garbage = join(base, 'garbage.tar.gz');
    writeFileSync(garbage, gzipSync(Buffer.alloc(64 * 1024, 1)));
    await expect(Image.import(garbage, { root, ref: 'imported/empty:1' })).rejects.toMatchObject({ code: 'ERR_IMPORT_INVALID' });
    const tar = busyboxTar(mkdtempSync(join(base, 'imp-')));
    const whole = gzipSync(readFileSync(tar));
    writeFileSync(`${tar}.gz`, whole.subarray(0, whole.length >> 1));
    await expect(Image.import(`${tar}.gz`, { root, ref: 'imported/empty:1' })).rejects.toBeInstanceOf(Error);
    writeFileSync(tar, readFileSync(tar).subarray(0, 300_000));
    await expect(Image.import(tar, { root, ref: 'imported/empty:1' })).rejects.toMatchObject({ code: 'ERR_IMPORT_INVALID' });
    await expect(Image.get('imported/empty:1', { root })).rejects.toMatchObject({ code: 'ERR_IMAGE_NOT_FOUND' });
    expect(readdirSync(join(root, 'ingest'))).toEqual([]);
  });
});

describe('applyConfigChanges', () => {
  test('JSON and shell forms, legacy ENV, relative WORKDIR, ENTRYPOINT resets an inherited CMD', () => {
    expect(applyConfigChanges({ Cmd: ['sh'], WorkingDir: '/a' }, ['ENTRYPOINT top -b', 'WORKDIR b', 'ENV X hello world', 'EXPOSE 8000-8001/tcp'])).toEqual({
      Entrypoint: ['/bin/sh', '-c', 'top -b'], Cmd: null, WorkingDir: '/a/b', Env: ['X=hello world'], ExposedPorts: { '8000/tcp': {}, '8001/tcp': {} },
    });
    expect(applyConfigChanges({ Env: ['A=1', 'B=2'] }, ['ENV A=3', 'ENTRYPOINT ["a"]', 'CMD b', 'VOLUME ["/x", "/y"]'])).toEqual({
      Env: ['A=3', 'B=2'], Entrypoint: ['a'], Cmd: ['/bin/sh', '-c', 'b'], Volumes: { '/x': {}, '/y': {} },
    });
    expect(() => applyConfigChanges({}, ['EXPOSE abc'])).toThrow(ImageError);
    expect(() => applyConfigChanges({}, ['LABEL "unterminated'])).toThrow(ImageError);
  });
});
