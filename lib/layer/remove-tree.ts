/**
 * Iterative recursive removal: `fs.rmSync({ recursive })` recurses in
 * JavaScript and overflows the stack on the deep trees a hostile layer makes.
 *
 * @module
 */
import { lstatSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { lstat, readdir, rmdir, unlink } from 'node:fs/promises';

/** Removes `path` and everything under it, never following symlinks; no error when missing. */
export function removeTree(path: string): void {
  const st = lstatSync(path, { throwIfNoEntry: false });
  if (st === undefined) return;
  if (!st.isDirectory()) return unlinkSync(path);
  const stack: { dir: string; listed: boolean }[] = [{ dir: path, listed: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { dir: string; listed: boolean };
    if (top.listed) {
      rmdirSync(top.dir);
      stack.pop();
      continue;
    }
    top.listed = true;
    for (const ent of readdirSync(top.dir, { withFileTypes: true })) {
      const child = `${top.dir}/${ent.name}`;
      if (ent.isDirectory()) stack.push({ dir: child, listed: false });
      else unlinkSync(child);
    }
  }
}

/**
 * {@link removeTree} on the libuv pool: the same iterative walk with `fs/promises`, so a large tree
 * (a copied root file system) does not hold the JS thread.
 */
export async function removeTreeAsync(path: string): Promise<void> {
  const st = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (st === undefined) return;
  if (!st.isDirectory()) return unlink(path);
  const stack: { dir: string; listed: boolean }[] = [{ dir: path, listed: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { dir: string; listed: boolean };
    if (top.listed) {
      await rmdir(top.dir);
      stack.pop();
      continue;
    }
    top.listed = true;
    const files: Promise<void>[] = [];
    for (const ent of await readdir(top.dir, { withFileTypes: true })) {
      const child = `${top.dir}/${ent.name}`;
      if (ent.isDirectory()) stack.push({ dir: child, listed: false });
      else files.push(unlink(child));
    }
    await Promise.all(files);
  }
}
