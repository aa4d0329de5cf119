/**
 * Mount points of this process's mount namespace, from `/proc/self/mountinfo`.
 *
 * @module
 */
import { readFileSync } from 'node:fs';

const unescape = (s: string): string => s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));

function mountPoints(): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => unescape(l.split(' ')[4] ?? '')).filter((p) => p !== '');
}

/** Whether `path` is a mount point. */
export function isMounted(path: string): boolean {
  return mountPoints().includes(path);
}

/** Mount points at or below `dir`, deepest first (the order to unmount them in). */
export function mountsUnder(dir: string): string[] {
  const found = mountPoints().filter((mp) => mp === dir || mp.startsWith(`${dir}/`));
  return [...new Set(found)].sort((a, b) => b.length - a.length);
}
