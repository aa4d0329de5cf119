/**
 * Leases: a running pull or import lists the blobs it is writing, so that a
 * garbage collection in another process does not delete them before the
 * index refers to them. A lease whose process is gone no longer counts.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A held lease; add digests as they become known, release when done. */
export interface Lease {
  add(digests: readonly string[]): Promise<void>;
  release(): Promise<void>;
}

/** Takes a lease in `dir`. */
export async function takeLease(dir: string): Promise<Lease> {
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${process.pid}-${randomBytes(6).toString('hex')}.lease`);
  const digests = new Set<string>();
  await writeFile(path, '');
  return {
    async add(more) {
      for (const d of more) digests.add(d);
      await writeFile(path, [...digests].join('\n'));
    },
    async release() {
      await rm(path, { force: true });
    },
  };
}

/** Digests held by leases of live processes; removes leases of dead ones. */
export async function leasedDigests(dir: string): Promise<Set<string>> {
  const out = new Set<string>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw err;
  }
  for (const name of names) {
    const pid = Number(name.split('-')[0]);
    const path = join(dir, name);
    if (!Number.isInteger(pid) || !existsSync(`/proc/${pid}`)) {
      await rm(path, { force: true });
      continue;
    }
    const text = await readFile(path, 'utf8').catch(() => '');
    for (const d of text.split('\n')) if (d !== '') out.add(d);
  }
  return out;
}
