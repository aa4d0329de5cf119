/**
 * The host side of `ocikit cp`: a local path as a tar stream, and a tar stream
 * extracted into a local directory with lib/layer's safe writer (no device
 * nodes, setuid bits or foreign owners; nothing written outside the target).
 *
 * @module
 */
import { lstatSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { extractTar, walk } from '../../container/copy.js';
import { tarOf } from '../../layer/diff-writer.js';
import { EntryWriter } from '../../layer/entry-writer.js';

/** A tar of local `path` with its top entry named `name` (`''`: a directory's contents). */
export function tarOfLocal(path: string, name: string, follow: boolean): Readable {
  const st = (follow ? statSync : lstatSync)(path);
  return Readable.from(tarOf(walk(path, name, st)));
}

/**
 * Extracts `tar` into local directory `dir`; with `rename`, entries whose first
 * component is `rename.from` get `rename.to` instead (no `from`: everything goes under `to`).
 */
export async function extractLocal(tar: Readable, dir: string, rename: { from: string | undefined; to: string } | undefined): Promise<void> {
  const writer = new EntryWriter(dir, { whiteouts: 'merge', privileged: false });
  const map = (p: string): string => {
    if (rename === undefined) return p;
    const clean = p.replace(/^(\.\/)+/, '');
    if (rename.from === undefined) return `${rename.to}/${clean}`;
    const slash = clean.indexOf('/');
    const first = slash < 0 ? clean.replace(/\/$/, '') : clean.slice(0, slash);
    return first === rename.from ? `${rename.to}${slash < 0 ? (clean.endsWith('/') ? '/' : '') : clean.slice(slash)}` : clean;
  };
  await extractTar(tar, dir, writer, map, false);
}
