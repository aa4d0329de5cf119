/** Snapshots of directory trees for tests: what a test must prove did not change. */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

/** One line per file under `dir` (type, mode, owner, size, link target, content hash), skipping `exclude`. */
export function treeListing(dir: string, opts: { exclude?: string; mtime?: boolean; nlink?: boolean } = {}): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const a = join(abs, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      if (a === opts.exclude) continue;
      const st = lstatSync(a);
      let extra = '';
      if (st.isSymbolicLink()) extra = `-> ${readlinkSync(a)}`;
      else if (st.isFile()) extra = createHash('sha256').update(readFileSync(a)).digest('hex').slice(0, 16);
      else if (st.isCharacterDevice() || st.isBlockDevice()) extra = `dev ${st.rdev}`;
      const kind = st.isDirectory() ? 'd' : st.isFile() ? 'f' : st.isSymbolicLink() ? 'l' : st.isFIFO() ? 'p' : st.isCharacterDevice() ? 'c' : 'b';
      out.push(`${r} ${kind} ${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid} ${st.isDirectory() ? '' : st.size} ${opts.nlink !== false && st.nlink > 1 && !st.isDirectory() ? 'hl' : ''} ${opts.mtime ? Math.floor(st.mtimeMs / 1000) : ''} ${extra}`);
      if (st.isDirectory()) walk(a, r);
    }
  };
  walk(dir, '');
  return out;
}
