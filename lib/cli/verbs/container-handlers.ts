/**
 * Handlers of the container verbs over the `Container` API, with Docker's
 * output and exit codes. Importing this module registers them.
 *
 * @module
 */
import { createWriteStream, lstatSync, mkdirSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Container } from '../../container/container.js';
import { CliError, ContainerError, ImageError, SyscallError } from '../../errors.js';
import { Image } from '../../image/image.js';
import type { CliIo, VerbHandler } from '../command.js';
import { ExitCode } from '../command.js';
import { ellipsis, renderTable, shortId } from '../format/table.js';
import { binarySize } from '../format/size.js';
import { timeAgo, humanDuration } from '../format/time.js';
import { parseCopyOperand, runArgsFrom } from '../run-args.js';
import { flagBool, flagList, flagNumber, flagString, type ParsedArgs } from '../spec.js';
import { refuseNonTty } from '../tty-check.js';
import { setContainerHandler } from './container-verbs.js';
import { extractLocal, tarOfLocal } from './local-tar.js';
import { logsVerb } from './logs-verb.js';

const errText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Docker's exit code of a process: its code, or 128 + the number of the signal that killed it. */
const exitCodeOf = (s: { exitCode: number | null; signal: NodeJS.Signals | null }): number =>
  s.exitCode ?? 128 + (s.signal !== null ? constants.signals[s.signal] : 9);

/** The exit code Docker gives when the container's command cannot start: 127 not found, 126 cannot be invoked, else 125. */
export function startFailureCode(err: unknown): number {
  if (!(err instanceof SyscallError) || !/exec/.test(err.syscall)) return ExitCode.ERROR;
  if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return ExitCode.NOT_FOUND;
  if (err.code === 'EACCES' || err.code === 'ENOEXEC' || err.code === 'EPERM' || err.code === 'EISDIR' || err.code === 'ELOOP') return ExitCode.CANNOT_INVOKE;
  return ExitCode.ERROR;
}

/** Runs `fn` for each container named, printing the name on success and Docker's error otherwise (exit 1 if any failed). */
async function eachContainer(args: ParsedArgs, io: CliIo, fn: (c: Container, ref: string) => Promise<string | undefined>): Promise<number> {
  let code = 0;
  for (const ref of args.positionals) {
    try {
      const out = await fn(await Container.get(ref), ref);
      if (out !== undefined) io.stdout.write(`${out}\n`);
    } catch (err) {
      io.stderr.write(`Error: ${errText(err)}\n`);
      code = 1;
    }
  }
  return code;
}

async function ensureImage(ref: string, io: CliIo): Promise<void> {
  try {
    await Image.get(ref);
  } catch (err) {
    if (!(err instanceof ImageError && err.code === 'ERR_IMAGE_NOT_FOUND')) throw err;
    io.stderr.write(`Unable to find image '${ref}' locally\n`);
    const image = await Image.pull(ref);
    io.stderr.write(`Digest: ${image.digest}\nStatus: Downloaded newer image for ${ref}\n`);
  }
}

type RawInput = NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };

/**
 * Connects the terminal to an attached container (or exec) and resolves with
 * a function that undoes it: raw mode with `-t` on a terminal, stdin piped
 * with `-i`, window size followed on SIGWINCH.
 */
function connect(io: CliIo, stdin: Writable | null, tty: boolean, resize: ((rows: number, cols: number) => void) | undefined): () => void {
  const input = io.stdin as RawInput;
  const undo: (() => void)[] = [];
  if (tty && input.isTTY === true && typeof input.setRawMode === 'function') {
    input.setRawMode(true);
    undo.push(() => input.setRawMode?.(false));
  }
  const out = io.stdout as { columns?: number; rows?: number };
  if (tty && resize !== undefined && out.columns !== undefined && out.rows !== undefined) {
    const apply = (): void => {
      try {
        if (out.rows !== undefined && out.columns !== undefined) resize(out.rows, out.columns);
      } catch {
        // the process is gone
      }
    };
    apply();
    process.on('SIGWINCH', apply);
    undo.push(() => process.off('SIGWINCH', apply));
  }
  if (stdin !== null) {
    const onData = (d: Buffer): void => {
      stdin.write(d);
    };
    const onEnd = (): void => {
      stdin.end();
    };
    stdin.on('error', () => undefined);
    input.on('data', onData);
    input.once('end', onEnd);
    input.resume?.();
    undo.push(() => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.pause?.();
    });
  }
  return () => {
    for (const u of undo.reverse()) u();
  };
}

function pump(from: NodeJS.ReadableStream | null, to: CliIo['stdout']): Promise<void> {
  if (from === null) return Promise.resolve();
  return new Promise((res) => {
    from.on('data', (d: Buffer) => to.write(d));
    from.once('end', res);
    from.once('close', res);
    from.once('error', () => res());
  });
}

/** A sink for a stream the user did not attach (`-a`): it is still read, so the container never blocks. */
const discard: CliIo['stdout'] = { write: () => true };

/**
 * Starts `c` attached and streams it to the terminal; resolves with its exit code. `attach`
 * (`-a stdout`…) limits which streams are connected; empty means all of them, as in Docker.
 */
async function runAttached(c: Container, io: CliIo, interactive: boolean, tty: boolean, attach: readonly string[] = []): Promise<number> {
  const wants = (s: string): boolean => attach.length === 0 || attach.includes(s);
  try {
    await c.start({ detach: false });
  } catch (err) {
    io.stderr.write(`ocikit: Error: ${errText(err)}\n`);
    return startFailureCode(err);
  }
  const streams = c.attach();
  const undo = connect(io, interactive && wants('stdin') ? streams.stdin : null, tty, tty ? (r, col) => c.resize(r, col) : undefined);
  // Like `docker run --sig-proxy`: SIGINT and SIGTERM go to the container (a terminal in raw mode sends ^C itself).
  const proxy = (signal: NodeJS.Signals): void => {
    c.kill(signal).catch(() => undefined);
  };
  if (!tty) {
    process.on('SIGINT', proxy);
    process.on('SIGTERM', proxy);
  }
  try {
    const drained = Promise.all([
      pump(streams.stdout, wants('stdout') ? io.stdout : discard),
      pump(streams.stderr, wants('stderr') ? io.stderr : discard),
    ]);
    const { exitCode } = await c.wait();
    await drained;
    return exitCode;
  } finally {
    process.off('SIGINT', proxy);
    process.off('SIGTERM', proxy);
    undo();
  }
}

const run: VerbHandler = async (args, io) => {
  const r = runArgsFrom(args, io.env);
  const notTty = r.detach ? undefined : refuseNonTty(io, r.interactive && (r.attach.length === 0 || r.attach.includes('stdin')), r.tty);
  if (notTty !== undefined) return notTty;
  await ensureImage(r.image, io);
  for (const dir of r.bindSources) mkdirSync(dir, { recursive: true });
  if (r.detach) {
    const c = await Container.create(r.image, { ...r.options, detach: true });
    try {
      await c.start({ detach: true });
    } catch (err) {
      // As Docker: the container stays (created) unless --rm.
      if (r.options.rm === true) await c.remove({ force: true, volumes: true }).catch(() => undefined);
      io.stderr.write(`ocikit: Error: ${errText(err)}\n`);
      return startFailureCode(err);
    }
    io.stdout.write(`${c.id}\n`);
    return 0;
  }
  const c = await Container.create(r.image, r.options);
  let code: number;
  try {
    code = await runAttached(c, io, r.interactive, r.tty, r.attach);
  } finally {
    if (r.options.rm === true) await c.remove({ force: true, volumes: true }).catch(() => undefined);
  }
  return code;
};

const create: VerbHandler = async (args, io) => {
  const r = runArgsFrom(args, io.env);
  await ensureImage(r.image, io);
  for (const dir of r.bindSources) mkdirSync(dir, { recursive: true });
  const c = await Container.create(r.image, r.options);
  io.stdout.write(`${c.id}\n`);
  return 0;
};

const start: VerbHandler = async (args, io) => {
  if (flagBool(args, 'attach')) {
    if (args.positionals.length > 1) throw new CliError('you cannot start and attach multiple containers at once', { code: 'ERR_CLI_ARGS', verb: 'start' });
    const c = await Container.get(args.positionals[0] as string);
    const state = await c.inspect();
    return runAttached(c, io, flagBool(args, 'interactive'), state.Config.Tty);
  }
  return eachContainer(args, io, async (c, ref) => {
    await c.start({ detach: true });
    return ref;
  });
};

function statusText(s: Awaited<ReturnType<Container['inspect']>>): string {
  const st = s.State;
  if (st.Status === 'running' || st.Status === 'paused') return `Up ${humanDuration(Date.now() - Date.parse(st.StartedAt))}${st.Paused ? ' (Paused)' : ''}`;
  if (st.Status === 'exited') return `Exited (${st.ExitCode}) ${timeAgo(st.FinishedAt)}`;
  if (st.Status === 'created') return 'Created';
  return st.Status.charAt(0).toUpperCase() + st.Status.slice(1);
}

const ps: VerbHandler = async (args, io) => {
  const noTrunc = flagBool(args, 'no-trunc');
  const list = await Container.list({ all: flagBool(args, 'all') });
  const rows: string[][] = [];
  for (const c of list.reverse()) {
    let s;
    try {
      s = await c.inspect();
    } catch {
      continue; // removed meanwhile
    }
    const command = [s.Path, ...s.Args].join(' ');
    rows.push([
      noTrunc ? s.Id : shortId(s.Id),
      s.Config.Image,
      noTrunc ? JSON.stringify(command) : JSON.stringify(ellipsis(command, 20)),
      timeAgo(s.Created),
      statusText(s),
      '',
      s.Name.replace(/^\//, ''),
    ]);
  }
  if (flagBool(args, 'quiet')) {
    io.stdout.write(rows.map((r) => `${r[0]}\n`).join(''));
    return 0;
  }
  io.stdout.write(renderTable(['CONTAINER ID', 'IMAGE', 'COMMAND', 'CREATED', 'STATUS', 'PORTS', 'NAMES'], rows));
  return 0;
};

const exec: VerbHandler = async (args, io) => {
  const [ref, ...cmd] = args.positionals as [string, ...string[]];
  if (flagBool(args, 'detach')) throw new CliError('exec --detach is not available in this build', { code: 'ERR_CLI_BAD_VALUE', verb: 'exec' });
  const c = await Container.get(ref);
  const tty = flagBool(args, 'tty');
  const interactive = flagBool(args, 'interactive');
  const notTty = refuseNonTty(io, interactive, tty);
  if (notTty !== undefined) return notTty;
  const env = flagList(args, 'env').map((e) => (e.includes('=') ? e : `${e}=${io.env[e] ?? ''}`));
  let p;
  try {
    p = await c.execStream(cmd, {
      tty, interactive, ...(env.length > 0 ? { env } : {}),
      ...(flagString(args, 'user') !== undefined ? { user: flagString(args, 'user') } : {}),
      ...(flagString(args, 'workdir') !== undefined ? { workdir: flagString(args, 'workdir') } : {}),
    });
  } catch (err) {
    if (err instanceof ContainerError && err.code === 'ERR_CONTAINER_NOT_RUNNING') {
      io.stderr.write(`Error: ${errText(err)}\n`);
      return ExitCode.ERROR;
    }
    io.stderr.write(`OCI runtime exec failed: ${errText(err)}\n`);
    const code = startFailureCode(err);
    return code === ExitCode.ERROR ? ExitCode.CANNOT_INVOKE : code;
  }
  const undo = connect(io, interactive ? p.stdin : null, tty, tty ? (r, col) => p.resize(r, col) : undefined);
  try {
    const drained = Promise.all([pump(p.stdout, io.stdout), pump(p.stderr, io.stderr)]);
    const status = await p.exited;
    await drained;
    return exitCodeOf(status);
  } finally {
    undo();
  }
};

const exportVerb: VerbHandler = async (args, io) => {
  const c = await Container.get(args.positionals[0] as string);
  const file = flagString(args, 'output');
  const out = file !== undefined ? createWriteStream(file) : undefined;
  if (out === undefined && io.stdout.isTTY === true) {
    throw new CliError('cowardly refusing to save to a terminal. Use the -o flag or redirect', { code: 'ERR_CLI_ARGS', verb: 'export' });
  }
  const tar = await c.export();
  if (out !== undefined) await pipeline(tar, out);
  else for await (const chunk of tar) io.stdout.write(chunk as Buffer);
  return 0;
};

const port: VerbHandler = async (args, io) => {
  const c = await Container.get(args.positionals[0] as string);
  const ports = await c.port();
  const wanted = args.positionals[1];
  const shown = wanted === undefined ? ports : ports.filter((p) => p.privatePort === (wanted.includes('/') ? wanted : `${wanted}/tcp`));
  if (wanted !== undefined && shown.length === 0) {
    io.stderr.write(`Error: No public port '${wanted.includes('/') ? wanted : `${wanted}/tcp`}' published for ${args.positionals[0]}\n`);
    return 1;
  }
  for (const p of shown) io.stdout.write(wanted === undefined ? `${p.privatePort} -> ${p.hostIp}:${p.hostPort}\n` : `${p.hostIp}:${p.hostPort}\n`);
  return 0;
};

const commit: VerbHandler = async (args, io) => {
  const c = await Container.get(args.positionals[0] as string);
  const ref = args.positionals[1];
  const image = await c.commit({
    ...(ref !== undefined ? { ref } : {}),
    ...(flagString(args, 'message') !== undefined ? { message: flagString(args, 'message') } : {}),
    ...(flagString(args, 'author') !== undefined ? { author: flagString(args, 'author') } : {}),
    changes: flagList(args, 'change'),
    pause: args.flags['pause'] !== false,
  });
  io.stdout.write(`${image.id}\n`);
  return 0;
};

const cp: VerbHandler = async (args, io) => {
  const [srcText, dstText] = args.positionals as [string, string];
  const src = parseCopyOperand(srcText);
  const dst = parseCopyOperand(dstText);
  if (src.container !== undefined && dst.container !== undefined) throw new CliError('copying between containers is not supported', { code: 'ERR_CLI_ARGS', verb: 'cp' });
  if (src.container === undefined && dst.container === undefined) throw new CliError('must specify at least one container source', { code: 'ERR_CLI_ARGS', verb: 'cp' });
  if (src.container !== undefined) {
    const c = await Container.get(src.container);
    if (src.path === '') throw new CliError('source path cannot be empty', { code: 'ERR_CLI_ARGS', verb: 'cp' });
    const tar = await c.copyFrom(src.path, { followLink: flagBool(args, 'follow-link') });
    if (dst.path === '-') {
      for await (const chunk of tar) io.stdout.write(chunk as Buffer);
      return 0;
    }
    const local = resolve(dst.path);
    const exists = lstatSync(local, { throwIfNoEntry: false });
    const contents = /\/\.\/?$/.test(src.path);
    if (exists?.isDirectory() === true) {
      await extractLocal(tar, local, undefined);
    } else {
      if (dst.path.endsWith('/')) throw new CliError(`destination directory ${dst.path} does not exist`, { code: 'ERR_CLI_ARGS', verb: 'cp' });
      if (statSync(dirname(local), { throwIfNoEntry: false })?.isDirectory() !== true) {
        throw new CliError(`destination directory ${dirname(local)} does not exist`, { code: 'ERR_CLI_ARGS', verb: 'cp' });
      }
      // Not there: the copy takes the destination's name (a directory's contents go into a new directory).
      await extractLocal(tar, dirname(local), { from: contents ? undefined : basename(src.path.replace(/\/+$/, '')) || '.', to: basename(local) });
    }
    return 0;
  }
  const c = await Container.get(dst.container as string);
  if (src.path === '-') {
    await c.copyTo(dst.path, io.stdin as unknown as Readable, { archive: flagBool(args, 'archive') });
    return 0;
  }
  const local = resolve(src.path);
  const st = (flagBool(args, 'follow-link') ? statSync : lstatSync)(local, { throwIfNoEntry: false });
  if (st === undefined) throw new CliError(`could not find the file ${src.path}`, { code: 'ERR_CLI_ARGS', verb: 'cp' });
  const target = await c.statPath(dst.path);
  let dir = dst.path;
  let name = basename(local);
  if (target === undefined) {
    if (dst.path.endsWith('/')) throw new CliError(`destination directory ${dst.path} does not exist in container ${dst.container}`, { code: 'ERR_CLI_ARGS', verb: 'cp' });
    dir = dirname(dst.path.startsWith('/') ? dst.path : `/${dst.path}`);
    name = basename(dst.path);
  } else if (!target.isDirectory) {
    if (st.isDirectory()) throw new CliError('cannot copy a directory to a file', { code: 'ERR_CLI_ARGS', verb: 'cp' });
    dir = dirname(dst.path.startsWith('/') ? dst.path : `/${dst.path}`);
    name = basename(dst.path);
  }
  const contents = /\/\.\/?$/.test(src.path) && st.isDirectory();
  await c.copyTo(dir, tarOfLocal(local, contents ? '' : name, flagBool(args, 'follow-link')), { archive: flagBool(args, 'archive') });
  return 0;
};

const diff: VerbHandler = async (args, io) => {
  const c = await Container.get(args.positionals[0] as string);
  for (const ch of await c.diff()) io.stdout.write(`${ch.kind} ${ch.path}\n`);
  return 0;
};

const top: VerbHandler = async (args, io) => {
  const c = await Container.get(args.positionals[0] as string);
  const t = await c.top({ psArgs: args.positionals.slice(1) });
  io.stdout.write(renderTable(t.Titles, t.Processes));
  return 0;
};

async function statsRows(containers: Container[], noTrunc: boolean): Promise<string[][]> {
  const rows: string[][] = [];
  for (const c of containers) {
    try {
      const s = await c.stats();
      const limit = s.memory.limit ?? 0;
      const mem = `${binarySize(s.memory.usage)} / ${limit > 0 ? binarySize(limit) : '--'}`;
      const memPct = limit > 0 ? `${((s.memory.usage / limit) * 100).toFixed(2)}%` : '--';
      rows.push([noTrunc ? c.id : shortId(c.id), c.name, `${(s.cpu.usageNs / 1e9).toFixed(2)}s`, mem, memPct, String(s.pids.current)]);
    } catch {
      // stopped meanwhile
    }
  }
  return rows;
}

const stats: VerbHandler = async (args, io) => {
  const noTrunc = flagBool(args, 'no-trunc');
  const containers = args.positionals.length > 0 ? await Promise.all(args.positionals.map((r) => Container.get(r))) : await Container.list({ all: flagBool(args, 'all') });
  const headers = ['CONTAINER ID', 'NAME', 'CPU TIME', 'MEM USAGE / LIMIT', 'MEM %', 'PIDS'];
  if (flagBool(args, 'no-stream')) {
    io.stdout.write(renderTable(headers, await statsRows(containers, noTrunc)));
    return 0;
  }
  for (;;) {
    const rows = await statsRows(containers, noTrunc);
    io.stdout.write(`${io.stdout.isTTY === true ? '\x1b[2J\x1b[H' : ''}${renderTable(headers, rows)}`);
    if (rows.length === 0 && args.positionals.length > 0) return 0;
    await new Promise((r) => setTimeout(r, 1000));
  }
};

const wait: VerbHandler = async (args, io) =>
  eachContainer(args, io, async (c) => String((await c.wait()).exitCode));

const importVerb: VerbHandler = async (args, io) => {
  const [source, ref] = args.positionals as [string, string | undefined];
  if (/^https?:\/\//.test(source)) throw new CliError('importing from a URL is not available in this build', { code: 'ERR_CLI_BAD_VALUE', verb: 'import' });
  const input: Readable | string = source === '-' ? Readable.from(io.stdin as AsyncIterable<Buffer>) : resolve(source);
  const image = await Image.import(input, {
    ...(ref !== undefined ? { ref } : {}),
    changes: flagList(args, 'change'),
    ...(flagString(args, 'message') !== undefined ? { message: flagString(args, 'message') } : {}),
    ...(flagString(args, 'platform') !== undefined ? { platform: flagString(args, 'platform') } : {}),
    source,
  });
  io.stdout.write(`${image.id}\n`);
  return 0;
};

function signalOf(text: string): NodeJS.Signals | number {
  if (/^\d+$/.test(text)) return Number(text);
  const name = text.toUpperCase();
  return (name.startsWith('SIG') ? name : `SIG${name}`) as NodeJS.Signals;
}

const simple = (fn: (c: Container, args: ParsedArgs) => Promise<void>): VerbHandler => async (args, io) =>
  eachContainer(args, io, async (c, ref) => {
    await fn(c, args);
    return ref;
  });

/** Registers every container verb's handler. */
export function registerContainerHandlers(): void {
  setContainerHandler('run', run);
  setContainerHandler('create', create);
  setContainerHandler('start', start);
  setContainerHandler('stop', simple(async (c, a) => c.stop(flagNumber(a, 'time') !== undefined ? { timeout: flagNumber(a, 'time') } : {})));
  setContainerHandler('restart', simple(async (c, a) => c.restart(flagNumber(a, 'time') !== undefined ? { timeout: flagNumber(a, 'time') } : {})));
  setContainerHandler('kill', simple(async (c, a) => c.kill(signalOf(flagString(a, 'signal') ?? 'KILL'))));
  setContainerHandler('rm', simple(async (c, a) => c.remove({ force: flagBool(a, 'force'), volumes: flagBool(a, 'volumes') })));
  setContainerHandler('pause', simple(async (c) => c.pause()));
  setContainerHandler('unpause', simple(async (c) => c.unpause()));
  setContainerHandler('ps', ps);
  setContainerHandler('exec', exec);
  setContainerHandler('logs', logsVerb);
  setContainerHandler('export', exportVerb);
  setContainerHandler('port', port);
  setContainerHandler('commit', commit);
  setContainerHandler('cp', cp);
  setContainerHandler('diff', diff);
  setContainerHandler('top', top);
  setContainerHandler('stats', stats);
  setContainerHandler('wait', wait);
  setContainerHandler('import', importVerb);
}

registerContainerHandlers();
