/**
 * `ocikit login`, `logout` and `search`.
 *
 * @module
 */
import { CliError } from '../../errors.js';
import { Registry } from '../../registry/index.js';
import type { CliIo, Command } from '../command.js';
import { ellipsis, renderTable } from '../format/table.js';
import { flagBool, flagNumber, flagString } from '../spec.js';

const DEFAULT_REGISTRY = 'docker.io';

function serverOf(positional: string | undefined): string {
  if (positional === undefined) return DEFAULT_REGISTRY;
  const host = positional.replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? DEFAULT_REGISTRY : host;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function password(args: Parameters<NonNullable<Command['run']>>[0], io: CliIo): Promise<string> {
  const given = flagString(args, 'password');
  if (flagBool(args, 'password-stdin')) {
    if (given !== undefined) throw new CliError('--password and --password-stdin are mutually exclusive', { verb: 'login' });
    return (await readAll(io.stdin)).replace(/\r?\n$/, '');
  }
  if (given !== undefined) {
    io.stderr.write('WARNING! Using --password via the CLI is insecure. Use --password-stdin.\n');
    return given;
  }
  throw new CliError('a password is required: use --password-stdin (interactive prompts are not supported)', { verb: 'login' });
}

/** The registry verbs. */
export const REGISTRY_COMMANDS: readonly Command[] = [
  {
    spec: {
      name: 'login',
      usage: '[OPTIONS] [SERVER]',
      description: 'Log in to a registry',
      flags: [
        { name: 'password', short: 'p', type: 'string', description: 'Password' },
        { name: 'password-stdin', type: 'bool', description: 'Take the password from stdin' },
        { name: 'username', short: 'u', type: 'string', description: 'Username' },
      ],
      maxArgs: 1,
    },
    async run(args, io) {
      const username = flagString(args, 'username');
      if (username === undefined) throw new CliError('a username is required: use --username (interactive prompts are not supported)', { verb: 'login' });
      const pass = await password(args, io);
      if (pass === '') throw new CliError('password is empty', { verb: 'login' });
      const registry = new Registry(serverOf(args.positionals[0]));
      try {
        await registry.login({ username, password: pass });
      } finally {
        registry.close();
      }
      io.stdout.write('Login Succeeded\n');
      return 0;
    },
  },
  {
    spec: { name: 'logout', usage: '[SERVER]', description: 'Log out from a registry', flags: [], maxArgs: 1 },
    async run(args, io) {
      const server = serverOf(args.positionals[0]);
      const registry = new Registry(server);
      try {
        const removed = await registry.logout();
        io.stdout.write(removed ? `Removing login credentials for ${server}\n` : `Not logged in to ${server}\n`);
      } finally {
        registry.close();
      }
      return 0;
    },
  },
  {
    spec: {
      name: 'search',
      usage: '[OPTIONS] TERM',
      description: 'Search for images',
      flags: [
        { name: 'limit', type: 'number', description: 'Max number of search results', defaultText: '25' },
        { name: 'no-trunc', type: 'bool', description: "Don't truncate output" },
        { name: 'registry', type: 'string', description: 'Registry to search (ocikit extension)', defaultText: '"docker.io"' },
      ],
      minArgs: 1,
      maxArgs: 1,
    },
    async run(args, io) {
      const limit = flagNumber(args, 'limit') ?? 25;
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new CliError('limit must be between 1 and 100', { code: 'ERR_CLI_BAD_VALUE', verb: 'search' });
      const registry = new Registry(flagString(args, 'registry') ?? DEFAULT_REGISTRY);
      try {
        const results = await registry.search(args.positionals[0] as string, { limit });
        const noTrunc = flagBool(args, 'no-trunc');
        const rows = results.map((r) => [r.name, ellipsis(r.description.replace(/\s+/g, ' '), 45, noTrunc), String(r.stars), r.official ? '[OK]' : '']);
        io.stdout.write(renderTable(['NAME', 'DESCRIPTION', 'STARS', 'OFFICIAL'], rows));
      } finally {
        registry.close();
      }
      return 0;
    },
  },
];
