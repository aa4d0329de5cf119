// A script that pulls must end by itself: the download and hashing workers are idle once a
// pull is done and must not keep the process alive (a worker whose listeners were attached
// after unref() once did). And it is run as `node --input-type=module -e`, whose flag the
// workers must not inherit (their source is CommonJS).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildBusyboxImage, pushBuiltImage } from '../../helpers/images.js';
import { startRegistry, type RegistryServer } from '../../helpers/registry-server.js';

const repo = resolve(new URL('.', import.meta.url).pathname, '../../..');
let tmp: string;
let server: RegistryServer;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ocikit-exit-'));
  server = await startRegistry();
  // one layer: one of the two download workers stays idle, which is what once kept processes alive
  await pushBuiltImage(await buildBusyboxImage(tmp), server.host, 'exit/one:1');
});
afterAll(async () => {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
});

test('a node process that pulled an image exits on its own', () => {
  const script = `import { Image } from ${JSON.stringify(join(repo, 'dist/index.js'))};
const image = await Image.pull(${JSON.stringify(`${server.host}/exit/one:1`)});
console.log(image.layers.length);`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, OCIKIT_ROOT: join(tmp, 'root') },
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(r.signal).toBeNull(); // not killed by the timeout
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout.trim()).toBe('1');
});
