// The whole path a user takes: run a container, change its files, commit, push to a real
// docker-registry, and check with the peers (skopeo, umoci) that the pushed image carries the change.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container } from '../../../lib/container/index.js';
import { Image } from '../../../lib/image/index.js';
import { writeBusyboxTar } from '../../helpers/busybox-rootfs.js';
import { startRegistry, type RegistryServer } from '../../helpers/registry-server.js';

let base: string;
let registry: RegistryServer;

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'ocikit-e2e-'));
  registry = await startRegistry();
});

afterAll(async () => {
  await registry.stop();
  rmSync(base, { recursive: true, force: true });
});

test('run, change, commit, push: skopeo and umoci see the change in the pushed image', async () => {
  const image = await Image.import(writeBusyboxTar(join(base, 'rootfs.tar')), { ref: 'e2e/busybox:1', changes: ['ENV PATH=/bin'] });
  const c = await Container.run(image, { cmd: ['sh', '-c', 'echo committed > /etc/motd && rm /etc/hostname.orig 2>/dev/null; mkdir -p /data && echo x > /data/f'] });
  try {
    expect((await c.wait()).exitCode).toBe(0);
    const changes = await c.diff();
    expect(changes).toEqual(expect.arrayContaining([{ kind: 'A', path: '/etc/motd' }, { kind: 'A', path: '/data/f' }]));

    const committed = await c.commit({ ref: 'e2e/busybox:2', message: 'add motd', author: 'e2e <e2e@example.com>' });
    expect(committed.manifest.layers.length).toBe(image.manifest.layers.length + 1);
    const remote = `${registry.host}/e2e/busybox:2`;
    await committed.push(remote);

    const inspected = JSON.parse(execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${remote}`], { encoding: 'utf8' })) as {
      Layers: string[];
      Env: string[];
    };
    expect(inspected.Layers).toEqual(committed.manifest.layers.map((l) => l.digest));
    expect(inspected.Env).toContain('PATH=/bin');

    const layout = join(base, 'layout');
    execFileSync('skopeo', ['copy', '--src-tls-verify=false', `docker://${remote}`, `oci:${layout}:pulled`], { stdio: 'pipe' });
    const bundle = join(base, 'bundle');
    execFileSync('umoci', ['unpack', '--image', `${layout}:pulled`, bundle], { stdio: 'pipe' });
    expect(readFileSync(join(bundle, 'rootfs/etc/motd'), 'utf8')).toBe('committed\n');
    expect(readFileSync(join(bundle, 'rootfs/data/f'), 'utf8')).toBe('x\n');
    expect(existsSync(join(bundle, 'rootfs/bin/busybox'))).toBe(true);

    const history = await committed.history();
    expect(history[0]?.comment).toBe('add motd');
  } finally {
    await c.remove({ force: true });
    await Image.remove('e2e/busybox:2').catch(() => undefined);
    await Image.remove('e2e/busybox:1').catch(() => undefined);
  }
});
