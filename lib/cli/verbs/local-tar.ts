/**
 * The host side of `ocikit cp`: a local path as a tar stream, and a tar stream
 * extracted into a local directory with lib/layer's safe writer (no device
 * nodes, setuid bits or foreign owners; nothing written outside the target).
 *
 * @module
 */
import { lstatSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { ReadEntry } from 'tar';
import { extractTar, walk } from '../../container/copy.js';
import type { TarSink } from '../../container/copy-writer.js';
import { ContainerError } from '../../errors.js';
import { tarOf } from '../../layer/diff-writer.js';
import { EntryWriter } from '../../layer/entry-writer.js';
import { entryComponents, resolveParents } from '../../layer/safe-path.js';

/** lib/layer's writer under host directory `dir`, refusing (as docker cp) to replace a directory with a non-directory. */
function localSink(dir: string): TarSink {
  const writer = new EntryWriter(dir, { whiteouts: 'merge', privileged: false });
  return {
    write(entry: ReadEntry, onDone: (err?: unknown) => void): void {
      if (entry.type !== 'Directory' && entry.type !== 'GNUDumpDir') {
        const comps = entryComponents(entry.path);
        const here = comps.length === 0 ? undefined : lstatSync(`${dir}/${resolveParents(dir, comps).join('/')}`, { throwIfNoEntry: false });
        if (here?.isDirectory() === true) {
          throw new ContainerError('ERR_CANNOT_OVERWRITE', `cannot overwrite directory ${JSON.stringify(`/${comps.join('/')}`)} with non-directory`);
        }
      }
      writer.write(entry, undefined, onDone);
    },
    finish: () => writer.finish(),
    close: () => undefined,
  };
}

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
  const map = (p: string): string => {
    if (rename === undefined) return p;
    const clean = p.replace(/^(\.\/)+/, '');
    if (rename.from === undefined) return `${rename.to}/${clean}`;
    const slash = clean.indexOf('/');
    const first = slash < 0 ? clean.replace(/\/$/, '') : clean.slice(0, slash);
    return first === rename.from ? `${rename.to}${slash < 0 ? (clean.endsWith('/') ? '/' : '') : clean.slice(slash)}` : clean;
  };
  await extractTar(tar, localSink(dir), map, false);
}
