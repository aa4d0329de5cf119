/**
 * Mount points of this process's mount namespace, from `/proc/self/mountinfo`. The async forms
 * share reads: 50 containers releasing their mounts at once read and parse the table once or
 * twice, not 50 times (and not on the JS thread's clock).
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

const MOUNTINFO = '/proc/self/mountinfo';

const unescape = (s: string): string => (s.includes('\\') ? s.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8))) : s);

/** The mount point field (the fifth) of each line, without splitting whole lines. */
function parse(text: string): string[] {
  const out: string[] = [];
  for (let at = 0; at < text.length; ) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    let f = at;
    for (let i = 0; i < 4 && f >= 0 && f < end; i++) f = text.indexOf(' ', f) + 1 || -1;
    if (f > 0 && f < end) {
      const sp = text.indexOf(' ', f);
      const mp = text.slice(f, sp < 0 || sp > end ? end : sp);
      if (mp !== '') out.push(unescape(mp));
    }
    at = end + 1;
  }
  return out;
}

function under(points: readonly string[], dir: string): string[] {
  const found = points.filter((mp) => mp === dir || mp.startsWith(`${dir}/`));
  return [...new Set(found)].sort((a, b) => b.length - a.length);
}

/** Whether `path` is a mount point. */
export function isMounted(path: string): boolean {
  return parse(readFileSync(MOUNTINFO, 'utf8')).includes(path);
}

/** Mount points at or below `dir`, deepest first (the order to unmount them in). */
export function mountsUnder(dir: string): string[] {
  return under(parse(readFileSync(MOUNTINFO, 'utf8')), dir);
}

let current: Promise<string[]> | undefined;
let queued: Promise<string[]> | undefined;

function read(): Promise<string[]> {
  const p: Promise<string[]> = readFile(MOUNTINFO, 'utf8').then(parse).finally(() => {
    if (current === p) current = undefined;
  });
  current = p;
  return p;
}

/**
 * The mount points, from a read that started after this call: callers that arrive while a read
 * runs (which may predate their own mounts or unmounts) share the next one.
 */
function mountPointsShared(): Promise<string[]> {
  if (current === undefined) return read();
  queued ??= current.then(
    () => undefined,
    () => undefined,
  ).then(() => {
    queued = undefined;
    return read();
  });
  return queued;
}

/** {@link isMounted}, read asynchronously and shared with concurrent callers. */
export async function isMountedAsync(path: string): Promise<boolean> {
  return (await mountPointsShared()).includes(path);
}

/** {@link mountsUnder}, read asynchronously and shared with concurrent callers. */
export async function mountsUnderAsync(dir: string): Promise<string[]> {
  return under(await mountPointsShared(), dir);
}
