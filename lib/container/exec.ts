/**
 * Running another process in a running container (`docker exec`), from the
 * process that started it or from any other one (PID 1 is adopted by pidfd).
 *
 * @module
 */
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ContainerError } from '../errors.js';
import { execInContainer, type ContainerProcess, type ExitStatus } from '../native/runtime.js';
import type { RuntimeSpec } from '../oci/runtime-spec.js';
import { optionEnv, replaceOrAppendEnv } from './config-merge.js';
import { checkOptionLimits, checkProcess } from './validate.js';
import { makePipe, pipeReader, pipeWriter, ptyReader, ptyWriter } from './io.js';
import type { ContainerState } from './state.js';
import { resolveUser } from './user.js';

/** Options of `container.exec()` (`docker exec` flags). */
export interface ExecOptions {
  /** Give the process a terminal (`-t`); stdout then carries both streams. */
  tty?: boolean;
  /** Environment added to the container's (`-e`). */
  env?: Record<string, string> | string[];
  /** User as `uid`, `uid:gid`, `name` or `name:group` (`-u`); default the container's. */
  user?: string;
  /** Working directory (`-w`); default the container's. */
  workdir?: string;
  /** Keep stdin open (`-i`): the streaming variant's `stdin` is writable. */
  interactive?: boolean;
  /**
   * Ends the exec: its process is killed (SIGKILL), so its streams end and `exited` resolves
   * with that kill; `exec()` then rejects with an `AbortError` (`ABORT_ERR`).
   */
  signal?: AbortSignal;
}

/** What `container.exec()` resolves with. */
export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** A process started by `container.execStream()`. */
export interface ExecProcess {
  /** Its pid on the host. */
  readonly pid: number;
  readonly stdout: Readable;
  /** Empty with a terminal (both streams arrive on stdout). */
  readonly stderr: Readable | null;
  /** Writable with `interactive` (or a terminal), else null. */
  readonly stdin: Writable | null;
  /** Resolves with its exit. */
  readonly exited: Promise<ExitStatus>;
  kill(signal?: NodeJS.Signals): void;
  /** Sets the terminal size (with `tty`). */
  resize(rows: number, cols: number): void;
}

/** The process spec of an exec in `state`'s container. */
export async function execSpec(dir: string, state: ContainerState, cmd: string[], o: ExecOptions): Promise<RuntimeSpec> {
  if (cmd.length === 0) throw new ContainerError('ERR_NO_COMMAND', 'exec needs a command');
  let spec: RuntimeSpec;
  try {
    spec = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as RuntimeSpec;
  } catch (cause) {
    throw new ContainerError('ERR_CONTAINER_NOT_RUNNING', `container ${state.id} has no runtime spec: is it running?`, { cause });
  }
  const base = spec.process;
  if (base === undefined) throw new ContainerError('ERR_STATE_CORRUPT', `container ${state.id} has a spec without a process`);
  const user = o.user === undefined ? base.user : await resolveUser(state.rootfs, o.user);
  if (o.env !== undefined) checkOptionLimits({ env: o.env });
  // As `docker exec -t`: TERM=xterm unless the container's environment sets TERM.
  const inherited = base.env ?? [];
  const withTerm = o.tty === true && !inherited.some((e) => e.startsWith('TERM=')) ? ['TERM=xterm', ...inherited] : inherited;
  const env = o.env === undefined ? withTerm : replaceOrAppendEnv(withTerm, optionEnv(o.env));
  checkProcess(cmd, env);
  const { consoleSize: _c, ...rest } = base;
  spec.process = { ...rest, args: cmd, env, user, cwd: o.workdir ?? base.cwd, terminal: o.tty === true };
  return spec;
}

/** Starts `spec.process` in the container of `init`. */
export function startExec(dir: string, init: ContainerProcess, spec: RuntimeSpec, o: ExecOptions): ExecProcess {
  const nul = openSync('/dev/null', 'r');
  const opened: number[] = [nul];
  try {
    if (o.tty) {
      const p = execInContainer(init, spec, { stdio: [nul, nul, nul] });
      const master = p.ptyMaster as number;
      return wrap(p, ptyReader(master), null, o.interactive ? ptyWriter(master) : null, o.signal);
    }
    const input = o.interactive ? makePipe(dir, true) : undefined;
    const out = makePipe(dir);
    const err = makePipe(dir);
    opened.push(out.container, err.container);
    if (input) opened.push(input.container);
    let p: ContainerProcess;
    try {
      p = execInContainer(init, spec, { stdio: [input ? input.container : nul, out.container, err.container] });
    } catch (e) {
      for (const fd of [out.node, err.node, ...(input ? [input.node] : [])]) closeSync(fd);
      throw e;
    }
    return wrap(p, pipeReader(out.node), pipeReader(err.node), input ? pipeWriter(input.node) : null, o.signal);
  } finally {
    for (const fd of opened) closeSync(fd);
  }
}

function wrap(p: ContainerProcess, stdout: Readable, stderr: Readable | null, stdin: Writable | null, signal: AbortSignal | undefined): ExecProcess {
  stdin?.on('error', () => undefined);
  const onAbort = (): void => {
    if (p.running) p.kill('SIGKILL');
    stdin?.destroy();
  };
  if (signal?.aborted === true) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  void p.exited.then(() => {
    signal?.removeEventListener('abort', onAbort);
    stdin?.destroy();
  });
  return {
    pid: p.pid,
    stdout,
    stderr,
    stdin,
    exited: p.exited,
    kill: (signal: NodeJS.Signals = 'SIGTERM') => {
      if (p.running) p.kill(signal);
    },
    resize: (rows: number, cols: number) => p.resize(rows, cols),
  };
}

/** Collects an exec's output until it exits and its streams end. */
export async function collectExec(e: ExecProcess): Promise<{ status: ExitStatus; stdout: string; stderr: string }> {
  const collect = (r: Readable | null): Promise<string> =>
    new Promise((resolve) => {
      if (r === null) return resolve('');
      const chunks: Buffer[] = [];
      r.on('data', (d: Buffer) => chunks.push(d));
      const done = (): void => resolve(Buffer.concat(chunks).toString('utf8'));
      r.once('end', done);
      r.once('close', done);
      r.once('error', done);
    });
  const out = collect(e.stdout);
  const err = collect(e.stderr);
  const status = await e.exited;
  const timer = setTimeout(() => {
    e.stdout.destroy();
    e.stderr?.destroy();
  }, 2000);
  const [stdout, stderr] = await Promise.all([out, err]);
  clearTimeout(timer);
  return { status, stdout, stderr };
}
