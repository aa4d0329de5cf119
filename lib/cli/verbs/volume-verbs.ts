/**
 * `ocikit volume create|ls|inspect|rm|prune`.
 *
 * @module
 */
import { CliError } from '../../errors.js';
import { Volume, type VolumeListOptions } from '../../volume/index.js';
import type { CliIo, Command } from '../command.js';
import { confirm } from '../confirm.js';
import { renderTable } from '../format/table.js';
import { renderInspect } from '../format/template.js';
import { flagBool, flagList, flagString } from '../spec.js';

function keyValues(values: readonly string[], flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq === 0) throw new CliError(`invalid argument ${JSON.stringify(v)} for "${flag}" flag: empty key`, { code: 'ERR_CLI_BAD_VALUE' });
    out[eq < 0 ? v : v.slice(0, eq)] = eq < 0 ? '' : v.slice(eq + 1);
  }
  return out;
}

/** Runs `fn` for every name; failures go to stderr and make the exit code 125. */
async function eachName(names: readonly string[], io: CliIo, fn: (name: string) => Promise<void>): Promise<number> {
  let code = 0;
  for (const name of names) {
    try {
      await fn(name);
    } catch (err) {
      io.stderr.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
      code = 125;
    }
  }
  return code;
}

function listFilters(filters: readonly string[]): VolumeListOptions {
  const opts: VolumeListOptions = {};
  for (const f of filters) {
    const eq = f.indexOf('=');
    const key = eq < 0 ? f : f.slice(0, eq);
    const value = eq < 0 ? '' : f.slice(eq + 1);
    if (key === 'dangling' && ['true', 'false', '1', '0'].includes(value)) opts.dangling = value === 'true' || value === '1';
    else if (key === 'label' && value !== '') opts.label = value;
    else throw new CliError(`invalid filter '${f}'`, { code: 'ERR_CLI_BAD_VALUE', verb: 'volume ls' });
  }
  return opts;
}

/** The volume sub-verbs. */
export const VOLUME_COMMANDS: readonly Command[] = [
  {
    spec: {
      name: 'volume create',
      usage: '[OPTIONS] [VOLUME]',
      description: 'Create a volume',
      flags: [
        { name: 'driver', short: 'd', type: 'string', description: 'Specify volume driver name', defaultText: '"local"' },
        { name: 'label', type: 'list', description: 'Set metadata for a volume' },
        { name: 'opt', short: 'o', type: 'list', description: 'Set driver specific options', placeholder: 'map' },
      ],
      maxArgs: 1,
    },
    async run(args, io) {
      const driver = flagString(args, 'driver') ?? 'local';
      if (driver !== 'local') throw new CliError(`volume driver ${JSON.stringify(driver)} is not supported; only "local"`, { code: 'ERR_CLI_BAD_VALUE', verb: 'volume create' });
      const labels = keyValues(flagList(args, 'label'), '--label');
      const driverOpts = keyValues(flagList(args, 'opt'), '--opt');
      const v = await Volume.create(args.positionals[0], {
        ...(Object.keys(labels).length > 0 ? { labels } : {}),
        ...(Object.keys(driverOpts).length > 0 ? { driverOpts } : {}),
      });
      io.stdout.write(`${v.name}\n`);
      return 0;
    },
  },
  {
    spec: {
      name: 'volume ls',
      usage: '[OPTIONS]',
      description: 'List volumes',
      aliases: ['list'],
      flags: [
        { name: 'filter', short: 'f', type: 'list', description: "Provide filter values (e.g. 'dangling=true', 'label=key=value')", placeholder: 'filter' },
        { name: 'quiet', short: 'q', type: 'bool', description: 'Only display volume names' },
      ],
      maxArgs: 0,
    },
    async run(args, io) {
      const volumes = await Volume.list(listFilters(flagList(args, 'filter')));
      if (flagBool(args, 'quiet')) {
        for (const v of volumes) io.stdout.write(`${v.name}\n`);
        return 0;
      }
      io.stdout.write(renderTable(['DRIVER', 'VOLUME NAME'], volumes.map((v) => ['local', v.name])));
      return 0;
    },
  },
  {
    spec: {
      name: 'volume inspect',
      usage: '[OPTIONS] VOLUME [VOLUME...]',
      description: 'Display detailed information on one or more volumes',
      flags: [{ name: 'format', short: 'f', type: 'string', description: "Format output using a Go template or 'json'" }],
      minArgs: 1,
    },
    async run(args, io) {
      const found: unknown[] = [];
      const code = await eachName(args.positionals, io, async (name) => {
        found.push(await (await Volume.get(name)).inspect());
      });
      const format = flagString(args, 'format');
      io.stdout.write(found.length === 0 && format !== undefined ? '' : renderInspect(found, format));
      return code;
    },
  },
  {
    spec: {
      name: 'volume rm',
      usage: '[OPTIONS] VOLUME [VOLUME...]',
      description: 'Remove one or more volumes',
      aliases: ['remove'],
      flags: [{ name: 'force', short: 'f', type: 'bool', description: 'Force the removal of one or more volumes' }],
      minArgs: 1,
    },
    async run(args, io) {
      return eachName(args.positionals, io, async (name) => {
        await Volume.remove(name, { force: flagBool(args, 'force') });
        io.stdout.write(`${name}\n`);
      });
    },
  },
  {
    spec: {
      name: 'volume prune',
      usage: '[OPTIONS]',
      description: 'Remove unused local volumes',
      flags: [
        { name: 'all', short: 'a', type: 'bool', description: 'Remove all unused volumes, not just anonymous ones' },
        { name: 'force', short: 'f', type: 'bool', description: 'Do not prompt for confirmation' },
      ],
      maxArgs: 0,
    },
    async run(args, io) {
      const all = flagBool(args, 'all');
      if (!flagBool(args, 'force') && !(await confirm(io, `WARNING! This will remove ${all ? 'all' : 'anonymous'} local volumes not used by at least one container.`))) return 0;
      const removed = await Volume.prune({ all });
      io.stdout.write(removed.length === 0 ? '' : `Deleted Volumes:\n${removed.map((n) => `${n}\n`).join('')}\n`);
      return 0;
    },
  },
];
