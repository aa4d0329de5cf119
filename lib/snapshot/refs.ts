/**
 * Which holders (containers, images) use which snapshots. One small JSON file
 * per holder under `<root>/snapshots/refs/`, written by temp file + rename, so
 * processes never rewrite a shared file.
 *
 * @module
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { SnapshotError } from '../errors.js';

const HOLDER = /^(container|image):[A-Za-z0-9][A-Za-z0-9_.:-]{0,160}$/;

/** Reference records of one store. */
export class SnapshotRefs {
  readonly #dir: string;

  constructor(snapshotsDir: string) {
    this.#dir = `${snapshotsDir}/refs`;
  }

  #file(holder: string): string {
    if (!HOLDER.test(holder)) throw new SnapshotError('ERR_SNAPSHOT_HOLDER', `invalid snapshot holder ${JSON.stringify(holder)}`);
    return `${this.#dir}/${holder.replace(':', '=')}.json`;
  }

  /** Records that `holder` uses `keys` (snapshot directory names), replacing what it used before. */
  set(holder: string, keys: readonly string[]): void {
    const file = this.#file(holder);
    mkdirSync(this.#dir, { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(keys));
    renameSync(tmp, file);
  }

  /** Forgets `holder`. */
  delete(holder: string): void {
    rmSync(this.#file(holder), { force: true });
  }

  /** The keys `holder` references (none when it references nothing). */
  get(holder: string): string[] {
    let text: string;
    try {
      text = readFileSync(this.#file(holder), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const keys: unknown = JSON.parse(text);
    return Array.isArray(keys) ? keys.filter((k): k is string => typeof k === 'string') : [];
  }

  /** Every key some holder references: what a garbage collection must keep. */
  inUse(): Set<string> {
    const used = new Set<string>();
    for (const keys of this.all().values()) for (const k of keys) used.add(k);
    return used;
  }

  /** Holder → keys, for every holder. */
  all(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    let names: string[];
    try {
      names = readdirSync(this.#dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return out;
      throw err;
    }
    for (const name of names) {
      if (!name.endsWith('.json')) continue;
      const holder = name.slice(0, -5).replace('=', ':');
      if (HOLDER.test(holder)) out.set(holder, this.get(holder));
    }
    return out;
  }
}
