// A pull into a store on a full disk fails as a store error that says so (not as a network
// error), and leaves no partial blob behind.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Image, StoreError } from '../../../lib/index.js';
import { buildMultiLayerImage, pushBuiltImage } from '../../helpers/images.js';
import { startRegistry, type RegistryServer } from '../../helpers/registry-server.js';

let tmp: string;
let server: RegistryServer;
const mounted: string[] = [];

/** Every file under `dir`, relative. */
function files(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel)).flatMap((n) => {
    const r = rel === '' ? n : `${rel}/${n}`;
    return statSync(join(dir, r)).isDirectory() ? files(dir, r) : [r];
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ocikit-full-'));
  server = await startRegistry();
  // a layer of 8 MiB of random bytes (incompressible): more than the 4 MiB store below
  const image = await buildMultiLayerImage({ parent: tmp, randomBytes: 8 * 1024 * 1024 });
  await pushBuiltImage(image, server.host, 'full/img:1');
}, 120_000);
afterAll(async () => {
  for (const m of mounted) execFileSync('umount', [m]);
  await server?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

test('ENOSPC during a pull is StoreError ERR_STORE_FULL saying the disk is full; no partial blob remains', async () => {
  const root = join(tmp, 'store');
  mkdirSync(root);
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'ocikit-test-full', root]);
  mounted.push(root);
  const err: unknown = await Image.pull(`${server.host}/full/img:1`, { root }).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(StoreError);
  expect(err).toMatchObject({ code: 'ERR_STORE_FULL' });
  expect((err as Error).message).toMatch(/no space left|disk is full/i);
  // only whole, verified blobs (the small ones that fitted) and no temp file are left
  for (const f of files(root)) {
    if (!f.startsWith('blobs/sha256/')) {
      expect(f).toMatch(/^(oci-layout|index\.json|.*\.lock)$/);
      continue;
    }
    expect(`sha256:${createHash('sha256').update(readFileSync(join(root, f))).digest('hex')}`).toBe(`sha256:${f.slice('blobs/sha256/'.length)}`);
  }
}, 120_000);
