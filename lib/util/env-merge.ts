/**
 * Merging `K=V` environment lists as Docker does (image env, then overrides
 * in place, new keys appended), shared by container creation, exec and
 * config changes.
 *
 * @module
 */

/** The key of a `K=V` entry (the whole entry when it has no `=`). */
export function envKey(entry: string): string {
  const eq = entry.indexOf('=');
  return eq === -1 ? entry : entry.slice(0, eq);
}

/**
 * Sets each entry of `overrides` in `base`, in place of the first entry with
 * the same key or at the end. An override without `=` removes its key. Linear
 * in the number of entries: an index of key → positions stands in for a scan
 * per entry (which froze the event loop for seconds on 20k entries).
 */
export function replaceOrAppendEnv(base: string[], overrides: string[]): string[] {
  const out: (string | undefined)[] = [...base];
  // positions of the live entries of each key, ascending; `head` skips the removed ones
  const slots = new Map<string, { at: number[]; head: number }>();
  const remember = (key: string, i: number): void => {
    const s = slots.get(key);
    if (s === undefined) slots.set(key, { at: [i], head: 0 });
    else s.at.push(i);
  };
  out.forEach((e, i) => remember(envKey(e as string), i));
  for (const entry of overrides) {
    const key = envKey(entry);
    const s = slots.get(key);
    const first = s !== undefined && s.head < s.at.length ? (s.at[s.head] as number) : -1;
    if (!entry.includes('=')) {
      if (first !== -1 && s !== undefined) {
        out[first] = undefined;
        s.head += 1;
      }
    } else if (first === -1) {
      out.push(entry);
      remember(key, out.length - 1);
    } else out[first] = entry;
  }
  return out.filter((e): e is string => e !== undefined);
}

