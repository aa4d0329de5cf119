/**
 * `Container`: create, start, stop, inspect and remove containers in-process,
 * as `docker run/start/stop/logs/exec/rm` do, without a daemon.
 *
 * @module
 */
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { existsSync } from 'node:fs';
import { ContainerError, ImageError, OcikitError } from '../errors.js';
import { Image } from '../image/image.js';
import { adoptProcess } from '../native/adopt.js';
import { logger } from '../log.js';
import type { StoreOptions } from '../image/options.js';
import { storageFor, type Storage } from '../storage.js';
import { Cgroup } from '../native/cgroup.js';
import type { ContainerProcess } from '../native/runtime.js';
import { collectExec, execSpec, startExec, type ExecOptions, type ExecProcess, type ExecResult } from './exec.js';
import { inspectState, topRows, type ContainerInspect, type ContainerStats, type ContainerTop } from './inspect.js';
import { LOG_FILE } from './io.js';
import { readLog, readLogLines, type LogLine, type LogsOptions } from './logs.js';
import { autoRemove, collectGarbage, exitCodeOf, isActive, observe, recordExit } from './observe.js';
import type { ContainerOptions } from './options.js';
import { readRun, type RunRecord } from './runtime-record.js';
import { releaseHeld } from './held.js';
import { restartDetached } from './restart.js';
import { createOnDisk, destroy } from './setup.js';
import { launch } from './start.js';
import type { ContainerState } from './state.js';
import { withLock } from '../util/lock.js';
import { abortErrorOf } from '../util/abortable.js';
import { attachedView, type AttachOptions } from './attach.js';
import { killRun, stopRun, waitInactive } from './stop.js';
import { signalName } from './signals.js';
import { checkCreateArgs } from './validate.js';
import { exportContainer } from './export.js';
import { psTop } from './top-ps.js';
import { requireRoot } from './need-root.js';
import { copyFromContainer, copyToContainer, statInContainer, type CopyFromOptions, type CopyToOptions, type PathStat } from './copy.js';
import { COPY_IDLE_TIMEOUT_MS, thawingStream } from './copy-stream.js';
import { holdFrozen } from './freeze.js';
import { diffContainer } from './diff.js';
import { commitContainer, type CommitOptions } from './commit.js';
import { containerPorts, type PortMapping } from './port.js';
import type { Change } from '../layer/changes.js';

/** Options of {@link Container.create} and {@link Container.run}. */
export interface RunOptions extends ContainerOptions, StoreOptions {
  /** Start under a monitor that outlives this process, logging to file (`-d`). Default false: attached. */
  detach?: boolean;
}

/** What {@link Container.wait} resolves with. */
export interface WaitResult {
  /** Exit status, or 128 + the signal number that killed it. */
  exitCode: number;
  /** The kernel's OOM killer killed a process of the container. */
  oomKilled: boolean;
}

/** Options of {@link Container.top}. */
export interface ContainerTopOptions {
  /** Options for the host's `ps` (`docker top CONTAINER [ps OPTIONS]`); without them, `ps -ef` columns from `/proc`. */
  psArgs?: readonly string[];
}

/** Options of {@link Container.stop} and {@link Container.restart}. */
export interface ContainerStopOptions {
  /** Seconds between the stop signal and SIGKILL; default the container's `stopTimeout` (10). */
  timeout?: number;
}

/** Options of {@link Container.remove}. */
export interface ContainerRemoveOptions {
  /** Kill it first if it runs (`-f`). */
  force?: boolean;
  /** Remove its anonymous volumes too (`-v`). */
  volumes?: boolean;
}

/** Options of {@link Container.list}. */
export interface ContainerListOptions extends StoreOptions {
  /** Include containers that do not run (`-a`). */
  all?: boolean;
}

/** The stdio of an attached container. */
export interface AttachedStreams {
  stdout: Readable;
  stderr: Readable;
  /** Writable when the container was created `interactive`. */
  stdin: Writable | null;
}

const log = logger('container');

function notRunning(id: string): ContainerError {
  return new ContainerError('ERR_CONTAINER_NOT_RUNNING', `container ${id} is not running`);
}

/**
 * Creates the records of a container. A name held by a container that observing it collects (a
 * disposable one whose owner died) is taken once that one is gone; nothing else is swept.
 */
async function createNamed(storage: Storage, img: Image, ref: string, options: RunOptions): Promise<ContainerState> {
  const st = storage.containers;
  try {
    return await createOnDisk(st, img, ref, options);
  } catch (err) {
    if (!(err instanceof ContainerError && err.code === 'ERR_NAME_IN_USE') || options.name === undefined) throw err;
    const holder = await st.find(options.name).catch(() => undefined);
    if (holder === undefined || !(await observe(st, holder)).removed) throw err;
    return createOnDisk(st, img, ref, options);
  }
}

/**
 * A container of a storage root.
 *
 * ```ts
 * await using c = await Container.run('busybox', { cmd: ['echo', 'hi'] });
 * const { exitCode } = await c.wait();
 * for await (const line of c.logs()) process.stdout.write(line);
 * ```
 */
export class Container {
  /** 64 hex digits. */
  readonly id: string;
  /** Unique name (without a leading `/`). */
  readonly name: string;
  /** The storage root it lives in, with this process's runs there. */
  readonly #storage: Storage;

  private constructor(storage: Storage, state: ContainerState) {
    this.#storage = storage;
    this.id = state.id;
    this.name = state.name;
  }

  /**
   * Creates a container from an image (pulled when not in the store), like `docker create`.
   *
   * The image, the container and its volumes all live in storage root `options.root`.
   *
   * @throws ContainerError `ERR_INVALID_OPTION` when `image` is neither a reference nor an {@link Image},
   *   or is an {@link Image} of another storage root.
   * @throws RootRequiredError `ERR_ROOT_REQUIRED` when not run as root.
   */
  static async create(image: string | Image, options: RunOptions = {}): Promise<Container> {
    checkCreateArgs(image, options);
    requireRoot('container create');
    const { root: _root, ...recorded } = options; // the record lives in its root: it does not name it
    const storage = storageFor(options.root);
    let img: Image;
    let ref: string;
    if (typeof image === 'string') {
      ref = image;
      try {
        img = await Image.get(image, { root: storage.root });
      } catch (err) {
        if (!(err instanceof ImageError && err.code === 'ERR_IMAGE_NOT_FOUND')) throw err;
        img = await Image.pull(image, { root: storage.root, ...(options.platform !== undefined ? { platform: options.platform } : {}) });
      }
    } else {
      img = image;
      if (storageFor(image.store.root) !== storage) {
        throw new ContainerError('ERR_INVALID_OPTION', `image ${image.id} is in storage root ${image.store.root}, not in ${storage.root}`);
      }
      ref = (await image.references())[0] ?? image.id;
    }
    return new Container(storage, await createNamed(storage, img, ref, recorded));
  }

  /** Creates and starts a container, like `docker run` (`rm`: removed once it exits). */
  static async run(image: string | Image, options: RunOptions = {}): Promise<Container> {
    const c = await Container.create(image, options);
    try {
      await c.start();
    } catch (err) {
      await c.remove({ force: true, volumes: true }).catch((e: unknown) => log('cannot remove %s after its failed start: %s', c.id, String(e)));
      throw err;
    }
    return c;
  }

  /**
   * The container with this id, name or unique id prefix, as it is now (a disposable container
   * whose owner died is collected and not found). Only that container is looked at.
   *
   * @throws ContainerError `ERR_CONTAINER_NOT_FOUND`, `ERR_AMBIGUOUS_ID`.
   */
  static async get(ref: string, options: StoreOptions = {}): Promise<Container> {
    const storage = storageFor(options.root);
    const seen = await observe(storage.containers, await storage.containers.find(ref));
    if (seen.removed) throw new ContainerError('ERR_CONTAINER_NOT_FOUND', `no such container: ${ref}`);
    return new Container(storage, seen.state);
  }

  /** Containers of the storage root (running ones unless `all`), oldest first, seen from any process. */
  static async list(options: ContainerListOptions = {}): Promise<Container[]> {
    const storage = storageFor(options.root);
    const states = await collectGarbage(storage.containers);
    return states.filter((s) => options.all === true || isActive(s)).map((s) => new Container(storage, s));
  }

  get #dir(): string {
    return this.#storage.containers.containerDir(this.id);
  }

  /** The recorded state, reconciled with reality. */
  async #state(): Promise<ContainerState> {
    const st = this.#storage.containers;
    const seen = await observe(st, await st.get(this.id));
    if (seen.removed) throw new ContainerError('ERR_CONTAINER_NOT_FOUND', `no such container: ${this.id}`);
    return seen.state;
  }

  async #run(): Promise<RunRecord> {
    const run = await readRun(this.#dir);
    if (run === undefined) throw notRunning(this.id);
    return run;
  }

  /** Starts the container (attached unless created with `detach`); does nothing when it runs. */
  async start(options: { detach?: boolean } = {}): Promise<void> {
    requireRoot('container start');
    // one start at a time, across processes: the second finds it running
    await withLock(join(this.#dir, 'start.lock'), () => this.#start(options));
  }

  async #start(options: { detach?: boolean }): Promise<void> {
    const st = this.#storage.containers;
    const { localRuns } = this.#storage;
    const state = await this.#state();
    if (isActive(state)) return;
    await releaseHeld(this.#dir, true); // what a start killed midway left (we hold the start lock)
    const detach = options.detach ?? (state.config.options as RunOptions).detach === true;
    const id = this.id;
    let markRunning!: () => void;
    const running = new Promise<void>((r) => (markRunning = r));
    const { run, local } = await launch(st.root, this.#dir, state, detach, async (status) => {
      await running; // the exit is recorded after the start, however quick the process
      try {
        await recordExit(st, id, { exitCode: exitCodeOf(status), oomKilled: status.oomKilled });
      } finally {
        localRuns.delete(id); // a failure here is seen (and the exit recorded) by the next observation
      }
    });
    if (local) localRuns.set(id, local);
    try {
      await st.update(id, (s) => {
        const { exitCode: _e, finishedAt: _f, ...rest } = s;
        return { ...rest, status: 'running', pid: run.pid, startedAt: new Date().toISOString(), oomKilled: false };
      });
    } finally {
      markRunning();
    }
  }

  /** Waits until the container exits (`docker wait`). */
  async wait(): Promise<WaitResult> {
    const { localRuns, containers: st } = this.#storage;
    const local = localRuns.get(this.id);
    if (local) {
      const status = await local.done;
      return { exitCode: exitCodeOf(status), oomKilled: status.oomKilled };
    }
    for (let delay = 10; ; delay = Math.min(delay * 2, 100)) {
      let seen;
      try {
        seen = await observe(st, await st.get(this.id));
      } catch (err) {
        if (err instanceof ContainerError && err.code === 'ERR_CONTAINER_NOT_FOUND') throw new ContainerError('ERR_CONTAINER_NOT_FOUND', `container ${this.id} was removed before its exit was seen`);
        throw err;
      }
      const s = seen.state;
      if (s.status === 'exited' || s.status === 'dead' || seen.removed) return { exitCode: s.exitCode ?? 137, oomKilled: s.oomKilled };
      const l = localRuns.get(this.id);
      if (l) return this.wait();
      await new Promise((r) => setTimeout(r, delay));
    }
  }

  /** Sends the stop signal, then SIGKILL to all its processes after `timeout` seconds (`docker stop`). */
  async stop(options: ContainerStopOptions = {}): Promise<void> {
    const state = await this.#state();
    if (!isActive(state)) return;
    const timeoutMs = (options.timeout ?? state.config.merged.stopTimeout) * 1000;
    await stopRun(this.#storage.containers, state, await this.#run(), state.config.merged.stopSignal, timeoutMs);
  }

  /**
   * Sends a signal to PID 1 (`docker kill`); default SIGKILL.
   *
   * @throws ContainerError `ERR_INVALID_SIGNAL` for an unknown signal, `ERR_CONTAINER_NOT_RUNNING`.
   */
  async kill(signal: NodeJS.Signals | number = 'SIGKILL'): Promise<void> {
    signalName(signal); // a bad signal is refused whether or not it runs
    const state = await this.#state();
    if (!isActive(state)) throw notRunning(this.id);
    killRun(this.#storage.containers, state, await this.#run(), signal);
  }

  /**
   * Stops and starts it again (`docker restart`), keeping how it ran: a container last started
   * detached comes back detached; one started attached by this process comes back attached to it;
   * one attached to another process comes back detached.
   */
  async restart(options: ContainerStopOptions = {}): Promise<void> {
    const detach = await restartDetached(this.#dir);
    await this.stop(options);
    await this.start(detach !== undefined ? { detach } : {});
  }

  /** Freezes every process of the container (`docker pause`); takes over a freeze held by a copy or commit. */
  async pause(): Promise<void> {
    const state = await this.#state();
    if (state.status === 'paused' && state.freezeHolders !== undefined) {
      await this.#storage.containers.update(this.id, (s) => {
        const { freezeHolders: _h, ...rest } = s;
        return s.status === 'paused' ? rest : s;
      });
      return;
    }
    if (state.status !== 'running') throw notRunning(this.id);
    await Cgroup.fromPaths((await this.#run()).cgroupPaths).freeze();
    await this.#storage.containers.update(this.id, (s) => (s.status === 'running' ? { ...s, status: 'paused' } : s));
  }

  /** Thaws a paused container (`docker unpause`), also one frozen for a copy or commit. */
  async unpause(): Promise<void> {
    const state = await this.#state();
    if (state.status !== 'paused') throw new ContainerError('ERR_CONTAINER_NOT_PAUSED', `container ${this.id} is not paused`);
    await Cgroup.fromPaths((await this.#run()).cgroupPaths).thaw();
    await this.#storage.containers.update(this.id, (s) => {
      const { freezeHolders: _h, ...rest } = s;
      return s.status === 'paused' ? { ...rest, status: 'running' } : s;
    });
  }

  /**
   * Removes the container, its snapshot and (with `volumes` or `rm`) its anonymous volumes (`docker rm`).
   * Whatever it holds on the host goes too: processes in its cgroups, mounts, cgroup directories, also
   * after a start that was killed midway. Waits for a start in progress in any process.
   */
  async remove(options: ContainerRemoveOptions = {}): Promise<void> {
    try {
      await withLock(join(this.#dir, 'start.lock'), () => this.#remove(options));
    } catch (err) {
      if (err instanceof OcikitError && err.code === 'ERR_LOCK' && !existsSync(this.#dir)) return; // removed meanwhile
      throw err;
    }
  }

  async #remove(options: ContainerRemoveOptions): Promise<void> {
    const st = this.#storage.containers;
    let state: ContainerState;
    try {
      state = await this.#state();
    } catch (err) {
      if (err instanceof ContainerError && err.code === 'ERR_CONTAINER_NOT_FOUND') return;
      throw err;
    }
    if (isActive(state)) {
      if (options.force !== true) {
        throw new ContainerError('ERR_CONTAINER_RUNNING', `container ${this.id} is running: stop it first, or remove it with force`);
      }
      await stopRun(st, state, await this.#run(), 'SIGKILL', 0);
    }
    await this.#storage.localRuns.get(this.id)?.done;
    await waitInactive(st, this.id);
    try {
      state = await st.get(this.id);
    } catch (err) {
      if (err instanceof ContainerError && err.code === 'ERR_CONTAINER_NOT_FOUND') return;
      throw err;
    }
    this.#storage.adopted.delete(this.id);
    await destroy(st, state, options.volumes === true || autoRemove(state));
  }

  /**
   * The container's output from its json-file log, line by line (`docker logs`). A follow ends
   * when the container stops, on `break` (at once, even while it waits) and on `signal`
   * (rejecting with an `AbortError`).
   */
  logs(options: LogsOptions = {}): AsyncIterableIterator<string> {
    return readLog(join(this.#dir, LOG_FILE), options, this.#running);
  }

  /** {@link Container.logs} with each line's stream (`stdout`/`stderr`) and time, as `docker logs` splits them. */
  logEntries(options: LogsOptions = {}): AsyncIterableIterator<LogLine> {
    return readLogLines(join(this.#dir, LOG_FILE), options, this.#running);
  }

  #running = async (): Promise<boolean> => {
    try {
      return isActive(await this.#state()) || this.#storage.localRuns.has(this.id);
    } catch {
      return false;
    }
  };

  /**
   * The stdio of a container this process started attached. With `signal`, streams of their own
   * that end (and stop passing input) when it aborts, while the container runs on.
   */
  attach(options: AttachOptions = {}): AttachedStreams {
    const local = this.#storage.localRuns.get(this.id);
    if (!local) throw new ContainerError('ERR_NOT_ATTACHED', `container ${this.id} was not started attached by this process`);
    const streams = { stdout: local.stdout, stderr: local.stderr, stdin: local.stdin };
    return options.signal !== undefined ? attachedView(streams, options.signal) : streams;
  }

  /**
   * Sets the terminal size of a container this process started attached with `tty`, as a
   * terminal's window change does (`docker container resize`).
   *
   * @throws ContainerError `ERR_NOT_ATTACHED` when this process did not start it attached,
   *   `ERR_NO_TTY` when it has no terminal, `ERR_INVALID_OPTION` for a size that is not a positive integer.
   */
  resize(rows: number, cols: number): void {
    if (![rows, cols].every((n) => Number.isInteger(n) && n > 0 && n <= 0xffff)) {
      throw new ContainerError('ERR_INVALID_OPTION', `invalid terminal size ${rows}x${cols}: rows and columns are integers from 1 to 65535`);
    }
    const local = this.#storage.localRuns.get(this.id);
    if (!local) throw new ContainerError('ERR_NOT_ATTACHED', `container ${this.id} was not started attached by this process`);
    if (local.proc.ptyMaster === null) throw new ContainerError('ERR_NO_TTY', `container ${this.id} has no terminal`);
    local.proc.resize(rows, cols);
  }

  /** Output of an attached container (see {@link Container.attach}). */
  get stdout(): Readable {
    return this.attach().stdout;
  }

  get stderr(): Readable {
    return this.attach().stderr;
  }

  get stdin(): Writable | null {
    return this.attach().stdin;
  }

  /** Starts a process in the running container and streams its stdio (`docker exec -i`); `signal` kills it. */
  async execStream(cmd: string[], options: ExecOptions = {}): Promise<ExecProcess> {
    if (options.signal?.aborted === true) throw abortErrorOf(options.signal, 'the exec');
    const state = await this.#state();
    if (state.status !== 'running') throw notRunning(this.id);
    requireRoot('container exec');
    const spec = await execSpec(this.#dir, state, cmd, options);
    return startExec(this.#dir, await this.#init(), spec, options);
  }

  /** Runs a process in the running container and collects its output (`docker exec`); rejects with an `AbortError` on `signal`. */
  async exec(cmd: string[], options: ExecOptions = {}): Promise<ExecResult> {
    const { status, stdout, stderr } = await collectExec(await this.execStream(cmd, options));
    if (options.signal?.aborted === true) throw abortErrorOf(options.signal, 'the exec');
    return { exitCode: exitCodeOf(status), stdout, stderr };
  }

  async #init(): Promise<ContainerProcess> {
    const { localRuns, adopted } = this.#storage;
    const local = localRuns.get(this.id);
    if (local) return local.proc;
    const run = await this.#run();
    const known = adopted.get(this.id);
    if (known && known.pid === run.pid) return known;
    const p = adoptProcess(run.pid, run.startTime, Cgroup.fromPaths(run.cgroupPaths));
    if (!p) throw notRunning(this.id);
    adopted.set(this.id, p);
    return p;
  }

  /** What `docker inspect` shows. */
  async inspect(): Promise<ContainerInspect> {
    const state = await this.#state();
    return inspectState(state, isActive(state) ? await readRun(this.#dir) : undefined);
  }

  /**
   * Its processes, like `docker top`: `ps -ef` columns read from `/proc`, or, with
   * `psArgs` (`['-o', 'pid,comm']`, `['aux']`), the host's `ps` run with those options
   * and filtered to the container's processes.
   *
   * @throws {@link ContainerError} `ERR_CONTAINER_NOT_RUNNING`; `ERR_CONTAINER_TOP` when `ps` fails or prints no `PID` column.
   */
  async top(options: ContainerTopOptions = {}): Promise<ContainerTop> {
    const state = await this.#state();
    if (!isActive(state)) throw notRunning(this.id);
    const pids = Cgroup.fromPaths((await this.#run()).cgroupPaths).procs();
    return options.psArgs === undefined || options.psArgs.length === 0 ? topRows(pids) : psTop(pids, options.psArgs);
  }

  /** Memory, CPU and pids counters of its cgroup (one reading of `docker stats`). */
  async stats(): Promise<ContainerStats> {
    const state = await this.#state();
    if (!isActive(state)) throw notRunning(this.id);
    return { ...Cgroup.fromPaths((await this.#run()).cgroupPaths).stats(), read: new Date().toISOString() };
  }

  /** Runs `fn` with the container frozen when it runs and `pause` is not false (cp, commit). */
  async #frozen<T>(pause: boolean, fn: (state: ContainerState) => Promise<T>): Promise<T> {
    const state = await this.#state();
    if (!pause || state.status !== 'running') return fn(state);
    const release = await holdFrozen(this.#storage.containers, this.id, (await this.#run()).cgroupPaths);
    try {
      return await fn(state);
    } finally {
      await release().catch(() => undefined);
    }
  }

  /** Its whole root file system as an uncompressed tar stream (`docker export`). */
  async export(): Promise<Readable> {
    return exportContainer(await this.#state());
  }

  /**
   * Extracts a tar stream into directory `path` of the container (`docker cp - c:path`).
   * Paths resolve inside the container's root; a running container is paused meanwhile.
   */
  async copyTo(path: string, tar: Readable, options: CopyToOptions & { pause?: boolean } = {}): Promise<void> {
    await this.#frozen(options.pause !== false, (state) => copyToContainer(state, path, tar, options));
  }

  /**
   * A tar stream of `path` in the container (`docker cp c:path -`); `path/.` gives a directory's contents.
   * A running container stays paused until the stream ends, fails or is destroyed, or is not read for
   * `idleTimeoutMs` (then the stream fails with `ERR_COPY_TIMEOUT`); if this process dies first, the
   * next process that looks at the container thaws it.
   */
  async copyFrom(path: string, options: CopyFromOptions & { pause?: boolean } = {}): Promise<Readable> {
    const state = await this.#state();
    if (options.pause === false || state.status !== 'running') return (await copyFromContainer(state, path, options)).tar;
    const release = await holdFrozen(this.#storage.containers, this.id, (await this.#run()).cgroupPaths);
    try {
      return thawingStream((await copyFromContainer(state, path, options)).tar, release, options.idleTimeoutMs ?? COPY_IDLE_TIMEOUT_MS);
    } catch (err) {
      await release().catch(() => undefined);
      throw err;
    }
  }

  /** What `path` is in the container, or `undefined` when it does not exist. */
  async statPath(path: string): Promise<PathStat | undefined> {
    return statInContainer(await this.#state(), path);
  }

  /** Changes of its file system against its image (`docker diff`). */
  async diff(): Promise<Change[]> {
    return diffContainer(await this.#state());
  }

  /** A new image from its changes (`docker commit`); a running container is paused meanwhile unless `pause: false`. */
  async commit(options: CommitOptions = {}): Promise<Image> {
    return this.#frozen(options.pause !== false, (state) => commitContainer(this.#storage.root, state, options));
  }

  /** Published ports (`docker port`): none, as containers run with network `none` or `host`. */
  async port(): Promise<PortMapping[]> {
    return containerPorts(await this.#state());
  }

  /** Stops and removes the container with its anonymous volumes (`await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      await this.stop();
    } catch (err) {
      if (!(err instanceof ContainerError && err.code === 'ERR_CONTAINER_NOT_FOUND')) throw err;
    }
    await this.remove({ force: true, volumes: true });
  }
}
