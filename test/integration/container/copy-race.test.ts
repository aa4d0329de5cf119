// SECURITY 14 / moby CVE-2018-15664: `cp` with `pause: false` while the container swaps a directory
// with a symlink to a host directory. Every copy either fails or touches only the container's files.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Container } from '../../../lib/container/index.js';
import { Image } from '../../../lib/image/index.js';
import { loadBusybox, sleep } from './helpers.js';

const ROUNDS = 400;
/** Files in the container's directory and, under the same names, in the host's: a walk has many steps to race. */
const NAMES = Array.from({ length: 20 }, (_, i) => `f${String(i).padStart(2, '0')}`);
let base: string;
let hostDir: string;
let image: Image;
let c: Container | undefined;

/** What the stream gave before it ended or failed (a failed copy may still have leaked bytes). */
async function collect(stream: NodeJS.ReadableStream): Promise<{ bytes: Buffer; ok: boolean }> {
  const parts: Buffer[] = [];
  try {
    for await (const chunk of stream) parts.push(Buffer.from(chunk as Buffer));
    return { bytes: Buffer.concat(parts), ok: true };
  } catch {
    return { bytes: Buffer.concat(parts), ok: false };
  }
}

beforeAll(async () => {
  base = mkdtempSync(join(tmpdir(), 'ocikit-race-'));
  hostDir = mkdtempSync(join(tmpdir(), 'ocikit-race-host-'));
  for (const n of NAMES) writeFileSync(join(hostDir, n), 'HOST\n');
  image = await loadBusybox('ocikit-test/race:1');
});
afterAll(async () => {
  await c?.remove({ force: true }).catch(() => undefined);
  await Image.remove('ocikit-test/race:1').catch(() => undefined);
  rmSync(base, { recursive: true, force: true });
  rmSync(hostDir, { recursive: true, force: true });
});

/**
 * A static program swapping two paths atomically, as fast as it can (renameat2 RENAME_EXCHANGE:
 * no moment where neither exists, which busybox `mv` loops have and which hides the race). Built
 * with `cc`, the C compiler/linker the addon's Rust build already needs.
 */
function buildSwapper(dir: string): Buffer {
  writeFileSync(join(dir, 'swap.c'), [
    '#define _GNU_SOURCE',
    '#include <fcntl.h>',
    '#include <unistd.h>',
    '#include <sys/syscall.h>',
    'int main(int argc, char **argv) { (void)argc; for (;;) syscall(SYS_renameat2, AT_FDCWD, argv[1], AT_FDCWD, argv[2], 2); }',
  ].join('\n'));
  mkdirSync(join(dir, 'bin'));
  execFileSync('cc', ['-static', '-O2', '-o', join(dir, 'bin', 'swap'), join(dir, 'swap.c')]);
  return execFileSync('tar', ['-C', join(dir, 'bin'), '-cf', '-', 'swap']);
}

test('SECURITY 14: copyFrom/copyTo with pause: false never reach the host while the container swaps a dir with a symlink', async () => {
  // /w/dir flips between a real directory (holding NAMES) and a symlink to the host's hostDir (the same NAMES, saying HOST).
  const script = [
    `mkdir -p /w/dir && for n in ${NAMES.join(' ')}; do echo container > /w/dir/$n; done`,
    `ln -s ${hostDir} /w/link`,
    'until [ -x /bin/swap ]; do sleep 0.02; done',
    'echo ready > /w/ready',
    'exec /bin/swap /w/dir /w/link',
  ].join('; ');
  c = await Container.run(image, { cmd: ['sh', '-c', script] });
  await c.copyTo('/bin', Readable.from(buildSwapper(mkdtempSync(join(base, 'swap-')))));
  for (let i = 0; i < 200 && (await c.statPath('/w/ready')) === undefined; i++) await sleep(20);
  const src = mkdtempSync(join(base, 'planted-'));
  for (const n of NAMES) writeFileSync(join(src, `planted-${n}`), 'from cp\n');
  // file entries only: a directory entry for /w/dir would replace the symlink and end the race
  const plant = execFileSync('tar', ['-C', src, '-cf', '-', ...NAMES.map((n) => `planted-${n}`)]);

  let leakedOut = 0;
  let okOut = 0;
  let landed = 0;
  let okIn = 0;
  for (let i = 0; i < ROUNDS; i++) {
    try {
      const { bytes, ok } = await collect(await c.copyFrom('/w/dir/f00', { pause: false }));
      if (bytes.includes('HOST')) leakedOut++;
      else if (ok) okOut++;
    } catch {
      // the path was a symlink or missing at that moment: refusing is fine
    }
    try {
      await c.copyTo('/w/dir', Readable.from(plant), { pause: false });
      okIn++;
    } catch {
      // refused: fine
    }
    const planted = readdirSync(hostDir).filter((n) => n.startsWith('planted'));
    if (planted.length > 0) landed++;
    for (const n of planted) rmSync(join(hostDir, n), { force: true });
  }
  // the loop really raced: some copies went through while /w/dir was the real directory
  process.stdout.write(`copy race: ${leakedOut}/${ROUNDS} copies out carried host content, ${landed}/${ROUNDS} copies in landed on the host (ok: ${okOut} out, ${okIn} in)\n`);
  expect((await c.inspect()).State.Status).toBe('running');
  expect(okOut).toBeGreaterThan(0);
  expect(okIn).toBeGreaterThan(0);
  expect({ leakedOut, landed }).toEqual({ leakedOut: 0, landed: 0 });
  expect(readdirSync(hostDir).sort()).toEqual(NAMES);
  await c.remove({ force: true });
  c = undefined;
}, 300_000);
