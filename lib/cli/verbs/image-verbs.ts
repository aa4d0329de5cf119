/**
 * `ocikit images`, `rmi`, `tag`, `history` and `inspect`, plus the transfer
 * verbs of `transfer-verbs.ts`.
 *
 * @module
 */
import { CliError, ImageError, OcikitError } from '../../errors.js';
import { Container } from '../../container/container.js';
import { Image } from '../../image/index.js';
import { parseReference } from '../../reference/index.js';
import type { Command } from '../command.js';
import { humanSize } from '../format/size.js';
import { ellipsis, renderTable, shortId } from '../format/table.js';
import { renderInspect } from '../format/template.js';
import { timeAgo } from '../format/time.js';
import { flagBool, flagString } from '../spec.js';
import { TRANSFER_COMMANDS } from './transfer-verbs.js';

/** How many images the store holds; undefined when it cannot be read. */
export async function countImages(): Promise<number | undefined> {
  try {
    return (await Image.list()).length;
  } catch {
    return undefined;
  }
}

/** Splits a stored reference into Docker's REPOSITORY and TAG columns. */
export function repoAndTag(stored: string): [string, string] {
  const ref = parseReference(stored);
  const familiar = ref.familiar();
  const slash = familiar.lastIndexOf('/');
  const end = familiar.slice(slash + 1).search(/[:@]/);
  return [end < 0 ? familiar : familiar.slice(0, slash + 1 + end), ref.tag ?? '<none>'];
}

function imageId(id: string, noTrunc: boolean): string {
  return noTrunc ? id : shortId(id);
}

function matchesFilter(stored: string, filter: string | undefined): boolean {
  if (filter === undefined) return true;
  const [repo, tag] = repoAndTag(stored);
  const colon = filter.lastIndexOf(':');
  const hasTag = colon > filter.lastIndexOf('/');
  const wantRepo = hasTag ? filter.slice(0, colon) : filter;
  return (repo === wantRepo || parseReference(stored).name === parseReference(wantRepo).name) && (!hasTag || tag === filter.slice(colon + 1));
}

const imagesCommand: Command = {
  spec: {
    name: 'images',
    usage: '[OPTIONS] [REPOSITORY[:TAG]]',
    description: 'List images',
    flags: [
      { name: 'all', short: 'a', type: 'bool', description: 'Show all images (default hides intermediate images)' },
      { name: 'digests', type: 'bool', description: 'Show digests' },
      { name: 'no-trunc', type: 'bool', description: "Don't truncate output" },
      { name: 'quiet', short: 'q', type: 'bool', description: 'Only show image IDs' },
    ],
    maxArgs: 1,
  },
  async run(args, io) {
    const noTrunc = flagBool(args, 'no-trunc');
    const digests = flagBool(args, 'digests');
    const filter = args.positionals[0];
    const images = await Image.list();
    const rows: { created: number; cells: string[]; id: string }[] = [];
    for (const image of images) {
      const refs = (await image.references()).filter((r) => matchesFilter(r, filter));
      if (refs.length === 0 && filter !== undefined) continue;
      const created = image.config.created;
      const base = [imageId(image.id, noTrunc), timeAgo(created), humanSize(image.size)];
      const names = refs.length === 0 ? [['<none>', '<none>'] as [string, string]] : refs.map(repoAndTag);
      for (const [repo, tag] of names) {
        const cells = digests ? [repo, tag, image.digest, ...base] : [repo, tag, ...base];
        rows.push({ created: created === undefined ? 0 : Date.parse(created) || 0, cells, id: image.id });
      }
    }
    rows.sort((a, b) => b.created - a.created);
    if (flagBool(args, 'quiet')) {
      const ids = [...new Set(rows.map((r) => imageId(r.id, noTrunc)))];
      io.stdout.write(ids.map((id) => `${id}\n`).join(''));
      return 0;
    }
    const headers = digests ? ['REPOSITORY', 'TAG', 'DIGEST', 'IMAGE ID', 'CREATED', 'SIZE'] : ['REPOSITORY', 'TAG', 'IMAGE ID', 'CREATED', 'SIZE'];
    io.stdout.write(renderTable(headers, rows.map((r) => r.cells)));
    return 0;
  },
};

const rmiCommand: Command = {
  spec: {
    name: 'rmi',
    usage: '[OPTIONS] IMAGE [IMAGE...]',
    description: 'Remove one or more images',
    flags: [{ name: 'force', short: 'f', type: 'bool', description: 'Force removal of the image' }],
    minArgs: 1,
  },
  async run(args, io) {
    let code = 0;
    for (const name of args.positionals) {
      try {
        const image = await Image.get(name);
        const removed = await Image.remove(name, { force: flagBool(args, 'force') });
        for (const r of removed) io.stdout.write(r.includes('@') && !r.includes(':', r.indexOf('@') + 8) ? `Untagged: ${r}\n` : `Untagged: ${parseReference(r).familiar()}\n`);
        const left = await Image.get(image.digest).then(
          () => true,
          () => false,
        );
        if (!left) io.stdout.write(`Deleted: ${image.id}\n`);
      } catch (err) {
        io.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
        code = 125;
      }
    }
    return code;
  },
};

const tagCommand: Command = {
  spec: { name: 'tag', usage: 'SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]', description: 'Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE', flags: [], minArgs: 2, maxArgs: 2 },
  async run(args) {
    const [source, target] = args.positionals as [string, string];
    await (await Image.get(source)).tag(target);
    return 0;
  },
};

const historyCommand: Command = {
  spec: {
    name: 'history',
    usage: '[OPTIONS] IMAGE',
    description: 'Show the history of an image',
    flags: [
      { name: 'human', short: 'H', type: 'bool', description: 'Print sizes and dates in human readable format', defaultText: 'true' },
      { name: 'no-trunc', type: 'bool', description: "Don't truncate output" },
      { name: 'quiet', short: 'q', type: 'bool', description: 'Only show image IDs' },
    ],
    minArgs: 1,
    maxArgs: 1,
  },
  async run(args, io) {
    const image = await Image.get(args.positionals[0] as string);
    const noTrunc = flagBool(args, 'no-trunc');
    const human = args.flags['human'] !== false;
    const items = await image.history();
    const ids = items.map((_, i) => (i === 0 ? imageId(image.id, noTrunc) : '<missing>'));
    if (flagBool(args, 'quiet')) {
      io.stdout.write(ids.map((id) => `${id}\n`).join(''));
      return 0;
    }
    const rows = items.map((h, i) => [
      ids[i] as string,
      human ? timeAgo(h.created) : (h.created ?? 'N/A'),
      ellipsis(h.createdBy.replace(/\s+/g, ' '), 45, noTrunc),
      human ? humanSize(h.size) : String(h.size),
      h.comment,
    ]);
    io.stdout.write(renderTable(['IMAGE', 'CREATED', 'CREATED BY', 'SIZE', 'COMMENT'], rows));
    return 0;
  },
};

const inspectCommand: Command = {
  spec: {
    name: 'inspect',
    usage: '[OPTIONS] NAME|ID [NAME|ID...]',
    description: 'Return low-level information on ocikit objects',
    flags: [
      { name: 'format', short: 'f', type: 'string', description: "Format output using a Go template or 'json'" },
      { name: 'type', type: 'string', description: 'Return JSON for specified type (image or container)' },
    ],
    minArgs: 1,
  },
  async run(args, io) {
    const type = flagString(args, 'type');
    if (type !== undefined && type !== 'image' && type !== 'container') {
      throw new CliError(`inspect --type ${type} is not available in this build`, { code: 'ERR_CLI_BAD_VALUE', verb: 'inspect' });
    }
    const found: unknown[] = [];
    let code = 0;
    for (const name of args.positionals) {
      try {
        // Like docker: an image first, then a container of that name or id.
        if (type === 'container') throw new ImageError('ERR_IMAGE_NOT_FOUND', name);
        found.push(await (await Image.get(name)).inspect());
      } catch (err) {
        if (type !== 'image' && err instanceof OcikitError && (err.code === 'ERR_IMAGE_NOT_FOUND' || err.code === 'ERR_INVALID_REFERENCE')) {
          try {
            found.push(await (await Container.get(name)).inspect());
            continue;
          } catch (cerr) {
            if (!(cerr instanceof OcikitError && cerr.code === 'ERR_CONTAINER_NOT_FOUND')) err = cerr;
          }
        }
        const missing = err instanceof OcikitError && (err.code === 'ERR_IMAGE_NOT_FOUND' || err.code === 'ERR_CONTAINER_NOT_FOUND' || err.code === 'ERR_INVALID_REFERENCE');
        io.stderr.write(`Error: ${missing ? `No such object: ${name}` : err instanceof Error ? err.message : String(err)}\n`);
        code = 125;
      }
    }
    io.stdout.write(found.length === 0 && flagString(args, 'format') !== undefined ? '' : renderInspect(found, flagString(args, 'format')));
    return code;
  },
};

/** Every image verb. */
export const IMAGE_COMMANDS: readonly Command[] = [...TRANSFER_COMMANDS, imagesCommand, rmiCommand, tagCommand, historyCommand, inspectCommand];
