/**
 * `ocikit run` / `ocikit create` arguments → {@link ContainerOptions}.
 *
 * @module
 */
import type { ContainerOptions, NetworkMode, UlimitOption } from '../container/options.js';
import { CliError } from '../errors.js';
import { parseMountFlag, parseTmpfsFlag, parseVolumeFlag } from './mounts.js';
import { parseArgs } from './parser.js';
import { type ParsedArgs, type VerbSpec, flagBool, flagList, flagNumber, flagString } from './spec.js';
import { CONTAINER_SPECS } from './verbs/container-specs.js';
import { parseBytes } from './bytes.js';
import { availableParallelism } from 'node:os';

/** What `parseRunArgs` returns. */
export interface RunArgs {
  /** The image reference as typed. */
  image: string;
  /** The command and its arguments after the image (empty: the image's default). */
  command: string[];
  /** The options to create the container with. */
  options: ContainerOptions;
  /** `-d`: print the id and return instead of waiting. */
  detach: boolean;
  /** `-i`. */
  interactive: boolean;
  /** `-t`. */
  tty: boolean;
  /** `-a` streams, lower case (`stdin`, `stdout`, `stderr`); empty means Docker's default. */
  attach: string[];
  /** Host directories of `-v` binds, which Docker creates when missing (`--mount` binds must exist). */
  bindSources: string[];
}

const NETWORKS = new Set<string>(['none', 'host']);
const STREAMS = new Set(['stdin', 'stdout', 'stderr']);

function bad(flag: string, value: string, why: string): CliError {
  return new CliError(`invalid argument ${JSON.stringify(value)} for "${flag}" flag: ${why}`, { code: 'ERR_CLI_BAD_VALUE', verb: 'run' });
}

function integer(args: ParsedArgs, name: string): number | undefined {
  const n = flagNumber(args, name);
  if (n !== undefined && !Number.isInteger(n)) throw bad(`--${name}`, String(n), 'expected a whole number');
  return n;
}

/** `-e K=V` stays; `-e K` takes the caller's `K`, or is dropped when the caller has none (as Docker does). */
function envList(values: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] {
  const out: string[] = [];
  for (const v of values) {
    if (v === '' || v.startsWith('=')) throw bad('--env', v, 'variable name is empty');
    if (v.includes('=')) out.push(v);
    else if (env[v] !== undefined) out.push(`${v}=${env[v] as string}`);
  }
  return out;
}

function labels(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    const key = eq < 0 ? v : v.slice(0, eq);
    if (key === '') throw bad('--label', v, 'label name is empty');
    out[key] = eq < 0 ? '' : v.slice(eq + 1);
  }
  return out;
}

function ulimit(value: string): UlimitOption {
  const m = /^([a-z]+)=(-?\d+)(?::(-?\d+))?$/.exec(value);
  if (m === null) throw bad('--ulimit', value, 'expected name=soft[:hard]');
  const soft = Number(m[2]);
  const hard = m[3] === undefined ? soft : Number(m[3]);
  return { name: m[1] as string, soft, hard };
}

/**
 * Turns the words after `ocikit run` (or `create`) into the image, the command
 * and {@link ContainerOptions}. Pure: reads nothing but `env` (for `-e K`) and
 * `cwd` (for relative bind sources).
 *
 * @throws {@link CliError} for unknown flags, bad values or a missing image.
 */
export function parseRunArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
  verb: 'run' | 'create' = 'run',
): RunArgs {
  const spec = CONTAINER_SPECS.find((s) => s.name === verb) as VerbSpec;
  return runArgsFrom(parseArgs(spec, argv), env, cwd);
}

/** Like {@link parseRunArgs}, from arguments already parsed with the `run`/`create` spec. */
export function runArgsFrom(
  args: ParsedArgs,
  env: Readonly<Record<string, string | undefined>> = process.env,
  cwd: string = process.cwd(),
): RunArgs {
  const [image, ...command] = args.positionals;
  if (image === undefined) throw new CliError('"ocikit run" requires at least 1 argument.', { code: 'ERR_CLI_ARGS', verb: 'run' });
  const o: ContainerOptions = {};
  const interactive = flagBool(args, 'interactive');
  const tty = flagBool(args, 'tty');
  if (command.length > 0) o.cmd = command;
  if (interactive) o.interactive = true;
  if (tty) o.tty = true;
  if (flagBool(args, 'rm')) o.rm = true;
  if (flagBool(args, 'privileged')) o.privileged = true;
  if (flagBool(args, 'read-only')) o.readonlyRootfs = true;
  const entrypoint = flagString(args, 'entrypoint');
  if (entrypoint !== undefined) o.entrypoint = entrypoint === '' ? null : entrypoint;
  const envs = envList(flagList(args, 'env'), env);
  if (envs.length > 0) o.env = envs;
  for (const [flag, key] of [['workdir', 'workdir'], ['user', 'user'], ['name', 'name'], ['hostname', 'hostname'], ['stop-signal', 'stopSignal'], ['platform', 'platform']] as const) {
    const v = flagString(args, flag);
    if (v !== undefined) o[key] = v;
  }
  const lbl = flagList(args, 'label');
  if (lbl.length > 0) o.labels = labels(lbl);
  const volumes = flagList(args, 'volume').map((v) => parseVolumeFlag(v, cwd));
  const bindSources = volumes.flatMap((m) => (m.type === 'bind' ? [m.source] : []));
  const mounts = [
    ...volumes,
    ...flagList(args, 'tmpfs').map((v) => parseTmpfsFlag(v)),
    ...flagList(args, 'mount').map((v) => parseMountFlag(v, cwd)),
  ];
  if (mounts.length > 0) o.mounts = mounts;
  const memory = flagNumber(args, 'memory');
  if (memory !== undefined) o.memory = memory;
  const swap = flagString(args, 'memory-swap');
  if (swap !== undefined) o.memorySwap = swap === '-1' ? -1 : swapBytes(swap);
  const cpus = flagNumber(args, 'cpus');
  if (cpus !== undefined) {
    if (cpus <= 0) throw bad('--cpus', String(cpus), 'must be positive');
    const host = availableParallelism();
    if (cpus > host) throw new CliError(`range of CPUs is from 0.01 to ${host}.00, as there are only ${host} CPUs available`, { code: 'ERR_CLI_BAD_VALUE', verb: 'run' });
    o.cpus = cpus;
  }
  const shares = integer(args, 'cpu-shares');
  if (shares !== undefined) o.cpuShares = shares;
  const pids = integer(args, 'pids-limit');
  if (pids !== undefined) o.pidsLimit = pids;
  const stopTimeout = integer(args, 'stop-timeout');
  if (stopTimeout !== undefined) o.stopTimeout = stopTimeout;
  for (const [flag, key] of [['cap-add', 'capAdd'], ['cap-drop', 'capDrop'], ['add-host', 'extraHosts']] as const) {
    const v = flagList(args, flag);
    if (v.length > 0) o[key] = v;
  }
  const ul = flagList(args, 'ulimit');
  if (ul.length > 0) o.ulimits = ul.map(ulimit);
  const network = flagString(args, 'network');
  if (network !== undefined) {
    if (!NETWORKS.has(network)) throw bad('--network', network, 'this build supports only "none" and "host"');
    o.network = network as NetworkMode;
  }
  const attach = flagList(args, 'attach').map((a) => a.toLowerCase());
  for (const a of attach) if (!STREAMS.has(a)) throw bad('--attach', a, 'valid streams are STDIN, STDOUT and STDERR');
  return { image, command, options: o, detach: flagBool(args, 'detach'), interactive, tty, attach, bindSources };
}

function swapBytes(text: string): number {
  try {
    return parseBytes(text);
  } catch {
    throw bad('--memory-swap', text, 'expected a size such as 1g, or -1');
  }
}

/** A `cp` operand: `container:path` names a path in a container, anything else a local path (or `-`). */
export interface CopyOperand {
  /** Container name or id, when the operand names one. */
  container?: string;
  /** The path. */
  path: string;
}

/** Splits a `cp` operand; a path starting with `/` or `.` is local even when it contains `:`. */
export function parseCopyOperand(text: string): CopyOperand {
  const colon = text.indexOf(':');
  if (colon <= 0 || text.startsWith('/') || text.startsWith('.')) return { path: text };
  return { container: text.slice(0, colon), path: text.slice(colon + 1) };
}
