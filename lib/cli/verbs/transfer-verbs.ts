/**
 * `ocikit pull`, `push`, `save` and `load`: images moving in and out.
 *
 * @module
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { CliError } from '../../errors.js';
import { Image } from '../../image/index.js';
import type { ArchiveFormat } from '../../image/index.js';
import { parseReference } from '../../reference/index.js';
import type { Command, TextOutput } from '../command.js';
import { ProgressRenderer } from '../format/progress.js';
import { flagBool, flagString } from '../spec.js';

async function existing(ref: string): Promise<Image | undefined> {
  try {
    return await Image.get(ref);
  } catch {
    return undefined;
  }
}

/** Makes a temporary directory, runs `fn` with a file path inside it, then removes it. */
async function withTempFile<T>(fn: (file: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ocikit-cli-'));
  try {
    return await fn(join(dir, 'archive.tar'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function copyToOutput(file: string, out: TextOutput): Promise<void> {
  for await (const chunk of createReadStream(file)) {
    const more = out.write(chunk as Buffer);
    if (more === false && 'once' in out && typeof out.once === 'function') await once(out as NodeJS.WritableStream, 'drain');
  }
}

/** The image transfer verbs. */
export const TRANSFER_COMMANDS: readonly Command[] = [
  {
    spec: {
      name: 'pull',
      usage: '[OPTIONS] NAME[:TAG|@DIGEST]',
      description: 'Download an image from a registry',
      flags: [
        { name: 'platform', type: 'string', description: 'Set platform if the image is multi-platform' },
        { name: 'quiet', short: 'q', type: 'bool', description: 'Suppress verbose output' },
      ],
      minArgs: 1,
      maxArgs: 1,
    },
    async run(args, io) {
      const text = args.positionals[0] as string;
      const ref = parseReference(text);
      const quiet = flagBool(args, 'quiet');
      const progress = new ProgressRenderer(quiet ? { write: () => true } : io.stdout, { tty: io.stdout.isTTY === true, mode: 'pull' });
      if (!/[:@][^/]*$/.test(text)) progress.message(`Using default tag: ${ref.tag ?? 'latest'}`);
      progress.message(`${ref.tag ?? ref.digest ?? 'latest'}: Pulling from ${ref.path}`);
      const before = await existing(ref.toString());
      const platform = flagString(args, 'platform');
      const image = await Image.pull(ref.toString(), { onProgress: (e) => progress.update(e), ...(platform !== undefined ? { platform } : {}) });
      if (!quiet) {
        const fresh = before?.digest !== image.digest;
        io.stdout.write(`Digest: ${image.digest}\n`);
        io.stdout.write(`Status: ${fresh ? 'Downloaded newer image' : 'Image is up to date'} for ${ref.familiar()}\n`);
      }
      io.stdout.write(`${ref.toString()}\n`);
      return 0;
    },
  },
  {
    spec: {
      name: 'push',
      usage: '[OPTIONS] NAME[:TAG]',
      description: 'Upload an image to a registry',
      flags: [{ name: 'quiet', short: 'q', type: 'bool', description: 'Suppress verbose output' }],
      minArgs: 1,
      maxArgs: 1,
    },
    async run(args, io) {
      const ref = parseReference(args.positionals[0] as string);
      const quiet = flagBool(args, 'quiet');
      const image = await Image.get(ref.toString());
      const progress = new ProgressRenderer(quiet ? { write: () => true } : io.stdout, { tty: io.stdout.isTTY === true, mode: 'push' });
      progress.message(`The push refers to repository [${ref.name}]`);
      const digest = await image.push(ref.toString(), { onProgress: (e) => progress.update(e) });
      const size = digest === image.digest ? image.descriptor.size : undefined;
      if (quiet) io.stdout.write(`${ref.toString()}\n`);
      else io.stdout.write(`${ref.tag ?? 'latest'}: digest: ${digest}${size === undefined ? '' : ` size: ${size}`}\n`);
      return 0;
    },
  },
  {
    spec: {
      name: 'save',
      usage: '[OPTIONS] IMAGE [IMAGE...]',
      description: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
      flags: [
        { name: 'output', short: 'o', type: 'string', description: 'Write to a file, instead of STDOUT' },
        { name: 'format', type: 'string', description: 'Archive format: docker-archive or oci-archive', defaultText: '"docker-archive"' },
      ],
      minArgs: 1,
    },
    async run(args, io) {
      const format = flagString(args, 'format') ?? 'docker-archive';
      if (format !== 'docker-archive' && format !== 'oci-archive') {
        throw new CliError(`invalid argument ${JSON.stringify(format)} for "--format" flag: expected docker-archive or oci-archive`, { code: 'ERR_CLI_BAD_VALUE', verb: 'save' });
      }
      const output = flagString(args, 'output');
      const refs = [...args.positionals];
      if (output !== undefined) {
        await Image.save(refs, output, { format: format as ArchiveFormat });
        return 0;
      }
      if (io.stdout.isTTY === true) throw new CliError('cowardly refusing to save to a terminal. Use the -o flag or redirect', { verb: 'save' });
      await withTempFile(async (file) => {
        await Image.save(refs, file, { format: format as ArchiveFormat });
        await copyToOutput(file, io.stdout);
      });
      return 0;
    },
  },
  {
    spec: {
      name: 'load',
      usage: '[OPTIONS]',
      description: 'Load an image from a tar archive or STDIN',
      flags: [
        { name: 'input', short: 'i', type: 'string', description: 'Read from tar archive file, instead of STDIN' },
        { name: 'quiet', short: 'q', type: 'bool', description: 'Suppress the load output' },
      ],
      maxArgs: 0,
    },
    async run(args, io) {
      const input = flagString(args, 'input');
      if (input === undefined && io.stdin.isTTY === true) {
        throw new CliError('requested load from stdin, but stdin is empty', { verb: 'load' });
      }
      const before = new Set<string>();
      for (const image of await Image.list()) for (const r of await image.references()) before.add(r);
      const images =
        input !== undefined
          ? await Image.load(input)
          : await withTempFile(async (file) => {
              await pipeline(io.stdin, createWriteStream(file));
              return Image.load(file);
            });
      for (const image of images) {
        // Image.load does not say which names the archive carried: print the names it added,
        // or every name of the image when it only re-set existing ones.
        const refs = await image.references();
        const added = refs.filter((r) => !before.has(r));
        if (refs.length === 0) io.stdout.write(`Loaded image ID: ${image.id}\n`);
        for (const r of added.length > 0 ? added : refs) io.stdout.write(`Loaded image: ${parseReference(r).familiar()}\n`);
      }
      return 0;
    },
  },
];
