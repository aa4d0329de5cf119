/**
 * Every verb of `ocikit`, grouped as `ocikit --help` lists them, and the
 * lookup from the command line's first words to a verb.
 *
 * @module
 */
import type { Command } from '../command.js';
import type { VerbGroup } from '../help.js';
import { CONTAINER_COMMANDS } from './container-verbs.js';
import './container-handlers.js';
import { IMAGE_COMMANDS } from './image-verbs.js';
import { REGISTRY_COMMANDS } from './registry-verbs.js';
import { infoCommand, versionCommand } from './system-verbs.js';
import { VOLUME_COMMANDS } from './volume-verbs.js';
import { MANAGEMENT, managementGroups } from './management.js';

const volumeGroup: Command = {
  group: true,
  spec: {
    name: 'volume',
    usage: 'COMMAND',
    description: 'Manage volumes',
    flags: [],
    maxArgs: 0,
  },
  async run(_args, io) {
    const width = Math.max(...VOLUME_COMMANDS.map((c) => c.spec.name.length)) - 'volume '.length + 3;
    const lines = VOLUME_COMMANDS.map((c) => `  ${c.spec.name.slice('volume '.length).padEnd(width)}${c.spec.description}`);
    io.stdout.write(`Usage:  ocikit volume COMMAND\n\nManage volumes\n\nCommands:\n${lines.join('\n')}\n\nRun 'ocikit volume COMMAND --help' for more information on a command.\n`);
    return 0;
  },
};

const VERBS: readonly Command[] = [...CONTAINER_COMMANDS, ...IMAGE_COMMANDS, ...REGISTRY_COMMANDS, ...VOLUME_COMMANDS, volumeGroup, infoCommand, versionCommand];
const GROUPS = managementGroups(VERBS);

/** Every command, top-level and sub-verbs. */
export const ALL_COMMANDS: readonly Command[] = [...VERBS, ...GROUPS];

const describe = (cmds: readonly Command[]): VerbGroup['verbs'] => cmds.map((c) => ({ name: c.spec.name, description: c.spec.description }));

/** The groups `ocikit --help` prints. */
export const COMMAND_GROUPS: readonly VerbGroup[] = [
  { title: 'Management Commands', verbs: describe([...GROUPS, volumeGroup]) },
  { title: 'Commands', verbs: describe([...CONTAINER_COMMANDS, ...IMAGE_COMMANDS, ...REGISTRY_COMMANDS, infoCommand, versionCommand]) },
];

function matches(command: Command, words: readonly string[]): boolean {
  const names = [command.spec.name, ...(command.spec.aliases ?? []).map((a) => command.spec.name.replace(/[^ ]+$/, a))];
  return names.some((n) => n.split(' ').every((w, i) => words[i] === w) && n.split(' ').length <= words.length);
}

/**
 * Finds the command that `argv` starts with (`volume ls …` before `volume …`)
 * and returns it with the remaining words.
 */
export function findCommand(argv: readonly string[]): { command: Command; args: string[] } | undefined {
  const target = MANAGEMENT[argv[0] ?? '']?.[argv[1] ?? ''];
  if (target !== undefined) {
    const command = ALL_COMMANDS.find((c) => c.spec.name === target.verb);
    if (command !== undefined) return { command, args: [...(target.prefix ?? []), ...argv.slice(2)] };
  }
  const two = ALL_COMMANDS.find((c) => c.spec.name.includes(' ') && matches(c, argv));
  if (two !== undefined) return { command: two, args: argv.slice(2) };
  const one = ALL_COMMANDS.find((c) => !c.spec.name.includes(' ') && matches(c, argv));
  return one === undefined ? undefined : { command: one, args: argv.slice(1) };
}
