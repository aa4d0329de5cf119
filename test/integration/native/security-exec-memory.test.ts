// SECURITY 14a: a process in the container races for /proc/<pid>/mem of the children that enter it.
import { closeSync, existsSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { execInContainer, spawnContainer, type ContainerProcess } from '../../../lib/native/runtime.js';
import { baseSpec, buildStaticFixture, busyboxRootfs, Capture, reap } from './helpers.js';

const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

/** Where `token` sits in this process's memory: searched at the start of every anonymous mapping of about `size`. */
function addressOf(token: Buffer, size: number): bigint[] {
  const found: bigint[] = [];
  const mem = openSync('/proc/self/mem', 'r');
  try {
    for (const line of readFileSync('/proc/self/maps', 'utf8').split('\n')) {
      const [range, perms, , , inode] = line.split(/\s+/);
      if (!range || perms !== 'rw-p' || inode !== '0') continue;
      const [lo, hi] = range.split('-').map((h) => BigInt(`0x${h}`)) as [bigint, bigint];
      if (hi - lo < BigInt(size) || hi - lo > BigInt(size + (1 << 20))) continue;
      const head = Buffer.alloc(8192);
      readSync(mem, head, 0, head.length, lo);
      const at = head.indexOf(token);
      if (at >= 0) found.push(lo + BigInt(at));
    }
  } finally {
    closeSync(mem);
  }
  return found;
}

asRoot('SECURITY 14a: container processes cannot reach the memory of the process that enters the container', () => {
  let root: string;
  let init: ContainerProcess | undefined;
  const cap = new Capture();
  beforeAll(() => {
    root = busyboxRootfs();
    buildStaticFixture(root, 'mem-racer');
  });
  afterAll(async () => {
    await reap(init);
    cap.close();
    rmSync(root, { recursive: true, force: true });
  });

  test('a root racer for /proc/<pid>/mem during 1000 execs leaves a Buffer of the caller untouched', async () => {
    // a mapping of its own (well above malloc's mmap threshold), so that it is easy to find
    const size = 64 << 20;
    const marker = Buffer.alloc(size);
    const token = Buffer.from(`RDTM-MRKR-${randomBytes(8).toString('hex')}-AAAA`);
    token.copy(marker);
    const addrs = addressOf(token, size);
    expect(addrs.length).toBe(1);
    // the racer writes "PWND" over the "AAAA" at the end
    const target = addrs[0]! + BigInt(token.length - 4);
    writeFileSync(join(root, 'addr'), `${target.toString(16)}\n`);

    init = spawnContainer(baseSpec(root, ['/mem-racer']), { stdio: cap.stdio });
    for (let i = 0; i < 100 && !existsSync(join(root, 'racer.out')); i++) await new Promise((r) => setTimeout(r, 20));
    const execs = 1000;
    for (let i = 0; i < execs; i++) {
      const e = execInContainer(init, baseSpec(root, ['true']), { stdio: cap.stdio });
      expect(await e.exited).toMatchObject({ exitCode: 0 });
    }
    const [seen, , wrote] = readFileSync(join(root, 'racer.out'), 'utf8').trim().split(' ').map(Number);
    // the racer did race (it saw many exec children while they were there) and never got through
    const outcome = { marker: marker.subarray(0, token.length).toString(), wrote, seen };
    expect(outcome).toEqual({ marker: token.toString(), wrote: 0, seen: expect.any(Number) });
    expect(seen).toBeGreaterThan(execs / 20);
  });
});
