/**
 * The `ocikit` command line: picks the verb, parses its flags, runs it and
 * turns failures into Docker's messages and exit codes.
 *
 * @module
 */
import { CliError, OcikitError } from '../errors.js';
import { type CliIo, type Command, ExitCode, processIo } from './command.js';
import { renderRootHelp, renderVerbHelp } from './help.js';
import { parseArgs } from './parser.js';
import { explainPermission, refuseWithoutRoot } from './permission.js';
import { COMMAND_GROUPS, findCommand } from './verbs/index.js';
import { packageVersion } from './verbs/system-verbs.js';

/**
 * Runs `ocikit` with `argv` (the words after the program name) and resolves
 * to the exit code: 0, 125 for ocikit's own errors, else the container's code.
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest.join(' ') : '';
    if (topic !== '') return main([...rest, '--help'], io);
    io.stdout.write(renderRootHelp(COMMAND_GROUPS));
    return ExitCode.OK;
  }
  if (first === '--version' || first === '-v') {
    io.stdout.write(`ocikit version ${packageVersion()}\n`);
    return ExitCode.OK;
  }
  if (first.startsWith('-')) {
    io.stderr.write(`unknown flag: ${first}\nSee 'ocikit --help'.\n`);
    return ExitCode.ERROR;
  }
  const found = findCommand(argv);
  if (found === undefined) {
    io.stderr.write(`ocikit: '${first}' is not an ocikit command.\nSee 'ocikit --help'\n`);
    return ExitCode.ERROR;
  }
  return runCommand(found.command, found.args, io);
}

async function runCommand(command: Command, argv: readonly string[], io: CliIo): Promise<number> {
  const { spec } = command;
  try {
    const args = parseArgs(spec, argv);
    if (args.help && command.group !== true) {
      io.stdout.write(renderVerbHelp(spec));
      return ExitCode.OK;
    }
    if (command.run === undefined) {
      io.stderr.write(`ocikit: ${spec.name} is not available in this build\n`);
      return ExitCode.ERROR;
    }
    refuseWithoutRoot(spec.name);
    return await command.run(args, io);
  } catch (err) {
    return reportError(explainPermission(err), spec.name, io);
  }
}

/** Writes `err` to stderr the way Docker's CLI does and returns the exit code. */
export function reportError(err: unknown, verb: string, io: CliIo): number {
  if (err instanceof CliError) {
    io.stderr.write(`${err.message}\nSee 'ocikit ${err.verb ?? verb} --help'.\n`);
    if (err.code === 'ERR_CLI_ARGS') {
      const command = findCommand((err.verb ?? verb).split(' '));
      if (command !== undefined) {
        const { spec } = command.command;
        io.stderr.write(`\nUsage:  ocikit ${spec.name} ${spec.usage}\n\n${spec.description}\n`);
      }
    }
    return ExitCode.ERROR;
  }
  if (err instanceof OcikitError) {
    io.stderr.write(`Error: ${err.message}\n`);
    return ExitCode.ERROR;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.stderr.write(`Error: ${message}\n`);
  return ExitCode.ERROR;
}
