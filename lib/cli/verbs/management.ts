/**
 * Docker's management commands: `ocikit container ls`, `ocikit image rm` …
 * run the top-level verbs (`ps`, `rmi` …), and `ocikit container` alone
 * lists its sub-verbs.
 *
 * @module
 */
import type { Command } from '../command.js';

/** Where a management form leads: the top-level verb and flags put before the user's. */
export interface ManagementTarget {
  /** Name of the top-level verb. */
  readonly verb: string;
  /** Arguments given first, such as `--type container` for `container inspect`. */
  readonly prefix?: readonly string[];
  /** Shown in the group's list instead of the verb's own description. */
  readonly description?: string;
}

const to = (verb: string, prefix?: readonly string[], description?: string): ManagementTarget => ({
  verb,
  ...(prefix !== undefined ? { prefix } : {}),
  ...(description !== undefined ? { description } : {}),
});

/** Every management form, by group and sub-verb. */
export const MANAGEMENT: Readonly<Record<string, Readonly<Record<string, ManagementTarget>>>> = {
  image: {
    ls: to('images'), list: to('images'), pull: to('pull'), push: to('push'), rm: to('rmi'), remove: to('rmi'), tag: to('tag'),
    history: to('history'), inspect: to('inspect', ['--type', 'image'], 'Display detailed information on one or more images'), save: to('save'), load: to('load'), import: to('import'),
  },
  container: {
    ls: to('ps'), list: to('ps'), ps: to('ps'), inspect: to('inspect', ['--type', 'container'], 'Display detailed information on one or more containers'), run: to('run'), create: to('create'),
    start: to('start'), stop: to('stop'), restart: to('restart'), kill: to('kill'), rm: to('rm'), remove: to('rm'), pause: to('pause'),
    unpause: to('unpause'), exec: to('exec'), logs: to('logs'), export: to('export'), port: to('port'), commit: to('commit'), cp: to('cp'),
    diff: to('diff'), top: to('top'), stats: to('stats'), wait: to('wait'),
  },
  system: { info: to('info') },
};

const TITLES: Readonly<Record<string, string>> = { image: 'Manage images', container: 'Manage containers', system: 'Manage ocikit' };

/**
 * The `ocikit container` / `image` / `system` commands: each prints its
 * sub-verbs (with the description of the verb they run).
 */
export function managementGroups(all: readonly Command[]): Command[] {
  return Object.entries(MANAGEMENT).map(([group, verbs]): Command => ({
    group: true,
    spec: { name: group, usage: 'COMMAND', description: TITLES[group] ?? group, flags: [], maxArgs: 0 },
    async run(_args, io) {
      const names = Object.keys(verbs).sort();
      const width = Math.max(...names.map((n) => n.length)) + 3;
      const lines = names.map((n) => `  ${n.padEnd(width)}${verbs[n]?.description ?? all.find((c) => c.spec.name === verbs[n]?.verb)?.spec.description ?? ''}`);
      io.stdout.write(`Usage:  ocikit ${group} COMMAND\n\n${TITLES[group] ?? group}\n\nCommands:\n${lines.join('\n')}\n\nRun 'ocikit ${group} COMMAND --help' for more information on a command.\n`);
      return 0;
    },
  }));
}
