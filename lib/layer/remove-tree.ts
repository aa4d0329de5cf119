/**
 * Iterative recursive removal: `fs.rmSync({ recursive })` recurses in
 * JavaScript and overflows the stack on the deep trees a hostile layer makes.
 *
 * @module
 */
import { lstatSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';

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
