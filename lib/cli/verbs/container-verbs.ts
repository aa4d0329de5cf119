/**
 * The container verbs. Their specs (flags, help) are complete; the handlers
 * are filled in as the `Container` API lands. A verb without a handler exits
 * 125 with "ocikit: VERB is not available in this build".
 *
 * @module
 */
import { CliError } from '../../errors.js';
import type { Command, VerbHandler } from '../command.js';
import { CONTAINER_SPECS } from './container-specs.js';

/**
 * Implementations of container verbs by name (`run`, `ps`, `logs` …). The
 * `run`/`create` handlers get their arguments parsed with the `run` spec and
 * turn them into options with `runArgsFrom`.
 */
export const handlers: Partial<Record<string, VerbHandler>> = {};

/** Registers (or replaces) the handler of container verb `name`. */
export function setContainerHandler(name: string, handler: VerbHandler): void {
  if (!CONTAINER_SPECS.some((s) => s.name === name)) throw new CliError(`not a container verb: ${name}`, { code: 'ERR_CLI_UNKNOWN_VERB' });
  handlers[name] = handler;
}

/** The container verbs as commands; looks the handler up at call time so late registration works. */
export const CONTAINER_COMMANDS: readonly Command[] = CONTAINER_SPECS.map((spec) => ({
  spec,
  get run(): VerbHandler | undefined {
    return handlers[spec.name];
  },
}));
