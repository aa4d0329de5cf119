/**
 * Starting a created container: mount its rootfs, build its runtime spec, put
 * it in a fresh cgroup and launch it, attached (spawned by this process, output
 * teed into the json-file log) or detached (under `ocikit-monitor`).
 *
 * @module
 */
import { closeSync, openSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PassThrough, Readable, Writable } from 'node:stream';
import { VolumeError } from '../errors.js';
import { Cgroup, containerCgroupName } from '../native/cgroup.js';
import { crashPoint } from '../util/crash-point.js';
import { recordHeld, releaseHeld } from './held.js';
import { startDetached } from '../native/monitor.js';
import { spawnContainer, type ContainerProcess, type ExitStatus } from '../native/runtime.js';
import type { RuntimeSpec } from '../oci/runtime-spec.js';
import { populateVolume } from '../volume/populate.js';
import { etcFileDestinations, writeEtcFiles } from './etc-files.js';
import { feed, JsonLogWriter, LOG_FILE, makePipe, pipeReader, pipeWriter, ptyReader, ptyWriter, userStream } from './io.js';
import { resolveInRoot } from './rootfs-path.js';
import { selfIdentity, startTimeOf } from '../util/process-identity.js';
import { readImageConfig, writeRun, type RunRecord } from './runtime-record.js';
import { mountRootfs, mountTarget, resolvedMounts, unmountRootfs } from './setup.js';
import { buildSpec } from './spec-builder.js';
import type { ContainerState } from './state.js';
import { resolveUser } from './user.js';
import { ContainerError } from '../errors.js';

/** A container this process spawned and still watches. */
export interface LocalRun {
  proc: ContainerProcess;
  cgroup: Cgroup;
  stdout: PassThrough;
  stderr: PassThrough;
  stdin: Writable | null;
  /** Settles once the exit is recorded (and the container removed with `rm`). */
  done: Promise<ExitStatus>;
}

/** Builds the runtime spec of `state` with its rootfs mounted. */
async function specFor(root: string, dir: string, state: ContainerState): Promise<RuntimeSpec> {
  const imageConfig = await readImageConfig(dir);
  if (imageConfig === undefined) throw new ContainerError('ERR_STATE_CORRUPT', `container ${state.id} has no image config`);
  const options = state.config.options;
  const resolvedUser = await resolveUser(state.rootfs, state.config.merged.user);
  // Docker creates a missing working directory
  await mkdir(await resolveInRoot(state.rootfs, state.config.merged.workdir), { recursive: true, mode: 0o755 });
  const written = await writeEtcFiles(dir, { hostname: state.config.merged.hostname, network: options.network ?? 'none', extraHosts: options.extraHosts });
  // the image's /etc files may be (dangling) symlinks: bind on what they name inside the root
  const etcFiles = { ...written, destinations: await etcFileDestinations(state.rootfs) };
  if (state.startedAt === undefined) {
    for (const m of state.mounts) {
      if (m.volume === undefined) continue;
      try {
        await populateVolume(root, m.volume, state.id, await resolveInRoot(state.rootfs, mountTarget(m)));
      } catch (err) {
        if (!(err instanceof VolumeError && err.code === 'ERR_VOLUME_IN_USE')) throw err;
      }
    }
  }
  return buildSpec({ id: state.id, name: state.name, imageConfig, options, rootfsPath: state.rootfs, resolvedUser, mounts: resolvedMounts(state.mounts), etcFiles }).spec;
}

/** What {@link launch} reports. */
export interface Launched {
  run: RunRecord;
  local?: LocalRun;
}

/**
 * Launches `state`, a container of storage root `root` kept in `dir`. `onExit` runs (once) for an
 * attached container when it has exited and its output is drained; `done` of the local run settles after it.
 */
export async function launch(
  root: string,
  dir: string,
  state: ContainerState,
  detach: boolean,
  onExit: (status: ExitStatus) => Promise<void>,
): Promise<Launched> {
  await recordHeld(dir, state.id); // before anything is made: whoever removes the container releases it
  crashPoint('start:held');
  try {
    await mountRootfs(state);
    crashPoint('start:mounted');
    const spec = await specFor(root, dir, state);
    const cgroup = await Cgroup.create(containerCgroupName(state.id), spec.linux?.resources);
    crashPoint('start:cgroup');
    const owner = selfIdentity();
    if (detach) {
      // a previous run's exit must not be taken for this one's
      await Promise.all(['exit.json', 'monitor.json'].map((f) => rm(join(dir, f), { force: true })));
      const started = await startDetached(spec, { stateDir: dir, cgroup, disposable: state.disposable });
      crashPoint('start:monitor');
      const run: RunRecord = {
        mode: 'detached', pid: started.pid, startTime: started.startTime, monitorPid: started.monitorPid,
        ownerPid: owner.pid, ownerStartTime: owner.startTime, cgroupPaths: [...cgroup.paths],
      };
      await writeRun(dir, run);
      return { run };
    }
    await writeFile(join(dir, 'config.json'), JSON.stringify(spec));
    const local = spawnAttached(dir, spec, state, cgroup, onExit);
    crashPoint('start:spawned');
    const run: RunRecord = {
      mode: 'attached', pid: local.proc.pid, startTime: startTimeOf(local.proc.pid),
      ownerPid: owner.pid, ownerStartTime: owner.startTime, cgroupPaths: [...cgroup.paths],
    };
    await writeRun(dir, run);
    return { run, local };
  } catch (err) {
    await releaseHeld(dir, true).catch(() => undefined); // nothing of this start may run or stay mounted
    throw err;
  }
}

function spawnAttached(dir: string, spec: RuntimeSpec, state: ContainerState, cgroup: Cgroup, onExit: (s: ExitStatus) => Promise<void>): LocalRun {
  const merged = state.config.merged;
  const log = new JsonLogWriter(join(dir, LOG_FILE));
  const stdout = userStream();
  const stderr = userStream();
  const open: number[] = [];
  let proc: ContainerProcess;
  const readers: Readable[] = [];
  let stdin: Writable | null = null;
  try {
    const input = merged.openStdin && !merged.tty ? makePipe(dir, true) : undefined;
    const nul = openSync('/dev/null', 'r');
    open.push(nul);
    if (input) open.push(input.container);
    if (merged.tty) {
      proc = spawnContainer(spec, { stdio: [nul, nul, nul], cgroup });
      const master = proc.ptyMaster as number;
      readers.push(tee(ptyReader(master), 'stdout', log, stdout));
      stdin = merged.openStdin ? ptyWriter(master) : null;
    } else {
      const out = makePipe(dir);
      const err = makePipe(dir);
      open.push(out.container, err.container);
      try {
        proc = spawnContainer(spec, { stdio: [input ? input.container : nul, out.container, err.container], cgroup });
      } catch (e) {
        closeSync(out.node);
        closeSync(err.node);
        if (input) closeSync(input.node);
        throw e;
      }
      readers.push(tee(pipeReader(out.node), 'stdout', log, stdout), tee(pipeReader(err.node), 'stderr', log, stderr));
      stdin = input ? pipeWriter(input.node) : null;
    }
  } catch (e) {
    log.close();
    throw e;
  } finally {
    for (const fd of open) closeSync(fd);
  }
  const drained = Promise.all(readers.map((r) => new Promise<void>((res) => {
    r.once('end', res);
    r.once('close', res);
    r.once('error', () => res());
  })));
  const forget = releaseAtExit(proc, state);
  const done = proc.exited.then(async (status) => {
    forget();
    // output still in flight is drained; a process left holding the pipe does not hold us forever
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([drained, new Promise((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
    for (const r of readers) r.destroy();
    log.close();
    stdout.end();
    stderr.end();
    stdin?.destroy();
    await onExit(status);
    return status;
  });
  return { proc, cgroup, stdout, stderr, stdin, done };
}

/** Attached containers of this process that still run, with what to release if it exits first. */
const runningHere = new Set<{ proc: ContainerProcess; state: ContainerState }>();
let exitHookInstalled = false;

/**
 * When this process exits while attached containers still run (a script that never waited),
 * kill them and detach their rootfs mounts at once, so no mount outlives the process. Their
 * cgroups and state are collected by the next observation, as after a SIGKILL of the owner.
 * Returns the function that drops `proc` from that list once its exit is recorded.
 */
function releaseAtExit(proc: ContainerProcess, state: ContainerState): () => void {
  const entry = { proc, state };
  runningHere.add(entry);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const { proc: p, state: st } of runningHere) {
        try {
          p.kill('SIGKILL');
        } catch {
          // already gone
        }
        try {
          unmountRootfs(st);
        } catch {
          // the exit path cannot report; the next observation retries
        }
      }
    });
  }
  return () => runningHere.delete(entry);
}

function tee(r: Readable, stream: 'stdout' | 'stderr', log: JsonLogWriter, user: PassThrough): Readable {
  r.on('data', (d: Buffer) => {
    log.write(stream, d);
    feed(user, d);
  });
  r.on('error', () => undefined);
  return r;
}
