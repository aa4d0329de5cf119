// Helpers of the container lifecycle tests: busybox images loaded into the run's store.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Container } from '../../../lib/container/index.js';
import { Image } from '../../../lib/image/image.js';
import { buildLayer, busyboxFiles, writeImageLayout, type LayerFiles } from '../../helpers/images.js';

/**
 * Builds a busybox image (plus `extraFiles` as a second layer, `config` as its runtime config and
 * `top` as top-level config fields such as `architecture`) and loads it into the store as `ref`.
 */
export async function loadBusybox(ref: string, config: Record<string, unknown> = {}, extraFiles?: LayerFiles, top: Record<string, unknown> = {}): Promise<Image> {
  const tmp = mkdtempSync(join(tmpdir(), 'ocikit-ctr-img-'));
  try {
    const files = busyboxFiles();
    for (const a of ['hostname', 'cat', 'grep', 'head', 'dd', 'yes', 'pwd', 'kill', 'seq', 'printf', 'date', 'tail', 'ps']) files[`bin/${a}`] = { symlink: 'busybox' };
    files['tmp/.keep'] = '';
    const layers = [await buildLayer(files)];
    if (extraFiles) layers.push(await buildLayer(extraFiles));
    const base = { Env: ['PATH=/bin'], Cmd: ['/bin/sh'], WorkingDir: '/' };
    const built = writeImageLayout(join(tmp, 'layout'), layers, 'latest', { ...top, config: { ...base, ...config } });
    const tar = join(tmp, 'image.tar');
    execFileSync('tar', ['-cf', tar, '-C', built.dir, '.']);
    const [img] = await Image.load(tar);
    if (!img) throw new Error('no image loaded');
    await img.tag(ref);
    return img;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Runs an ES module script with the built package (`dist/`) in another Node process on the same storage root. */
export function nodeScript(body: string): string {
  const dist = join(process.cwd(), 'dist', 'index.js');
  return `import { Container, Volume } from ${JSON.stringify(dist)};\n${body}`;
}

/** Output of `nodeScript(body)` run to completion. */
export function runNode(body: string, timeoutMs = 30_000): string {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', nodeScript(body)], { encoding: 'utf8', timeout: timeoutMs, env: { ...process.env } });
  if (r.status !== 0) throw new Error(`node script failed (${r.status ?? r.signal}): ${r.stderr}`);
  return r.stdout;
}

/** Whether anything is mounted under `dir`. */
export function mountedUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((mp) => mp === dir || mp.startsWith(`${dir}/`));
}

/** Cgroup directories named after container `id` (any hierarchy). */
export function cgroupsOf(id: string): string[] {
  const found: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (depth > 6) return;
    let entries: string[];
    try {
      entries = readdirSync(d);
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e);
      if (e === id) found.push(p);
      else if (!e.includes('.') && statSync(p, { throwIfNoEntry: false })?.isDirectory()) walk(p, depth + 1);
    }
  };
  walk('/sys/fs/cgroup', 0);
  return found;
}

/** Starts `nodeScript(body)` in another Node process; `line()` resolves with its next stdout line. */
export function spawnNode(body: string): { child: ChildProcess; line: () => Promise<string>; exited: Promise<unknown> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', nodeScript(body)], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env } });
  const exited = new Promise((r) => child.once('exit', r));
  const lines: string[] = [];
  const waiters: Array<(l: string) => void> = [];
  let buf = '';
  child.stdout?.setEncoding('utf8');
  child.stdout?.on('data', (d: string) => {
    buf += d;
    for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
      const l = buf.slice(0, i);
      buf = buf.slice(i + 1);
      const w = waiters.shift();
      if (w) w(l);
      else lines.push(l);
    }
  });
  const line = (): Promise<string> => {
    const l = lines.shift();
    return l !== undefined ? Promise.resolve(l) : new Promise((r) => waiters.push(r));
  };
  return { child, line, exited };
}

/** Force-removes every container made from images under `prefix` (after a failed test); each jest worker has a storage root of its own. */
export async function removeMine(prefix = 'ocikit-test/'): Promise<void> {
  for (const c of await Container.list({ all: true })) {
    try {
      if ((await c.inspect()).Config.Image.startsWith(prefix)) await c.remove({ force: true, volumes: true });
    } catch {
      // removed meanwhile
    }
  }
}

/** The run's containers directory (under the OCIKIT_ROOT the global setup chose). */
export const containersDir = (): string => join(process.env['OCIKIT_ROOT'] as string, 'containers');

/** Nothing of container `id` is left: record, mounts, cgroups. */
export function expectGone(id: string): void {
  expect(existsSync(join(containersDir(), id))).toBe(false);
  expect(mountedUnder(join(containersDir(), id))).toEqual([]);
  expect(cgroupsOf(id)).toEqual([]);
}

/** Runs `nodeScript(body)` with `OCIKIT_CRASH_AT=point` (lib/util/crash-point.ts); resolves with how it ended. */
export function crashNode(body: string, point: string, timeoutMs = 30_000): { signal: NodeJS.Signals | null; status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', nodeScript(body)], {
    encoding: 'utf8', timeout: timeoutMs, env: { ...process.env, OCIKIT_CRASH_AT: point },
  });
  return { signal: r.signal, status: r.status, stdout: r.stdout, stderr: r.stderr };
}
