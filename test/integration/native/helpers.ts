// Test helpers for the native runtime: a busybox rootfs, a Docker-like spec, output capture, cgroups.
import { execFileSync } from 'node:child_process';
import {
  chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmdirSync, rmSync,
  symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_CAPABILITIES, DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, defaultMounts, type RuntimeSpec,
} from '../../../lib/oci/runtime-spec.js';
import { type ContainerProcess, type ExitStatus, spawnContainer, type SpawnOptions } from '../../../lib/native/runtime.js';

/** A directory with /bin/busybox and one symlink per applet. */
export function busyboxRootfs(): string {
  const root = mkdtempSync(join(tmpdir(), 'ocikit-rootfs-'));
  chmodSync(root, 0o755);
  for (const d of ['bin', 'proc', 'dev', 'sys', 'etc', 'tmp', 'root']) mkdirSync(join(root, d));
  copyFileSync('/bin/busybox', join(root, 'bin', 'busybox'));
  execFileSync('chmod', ['755', join(root, 'bin', 'busybox')]);
  const applets = execFileSync('/bin/busybox', ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean);
  for (const a of applets) if (a !== 'busybox') symlinkSync('busybox', join(root, 'bin', a));
  writeFileSync(join(root, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534::/:/bin/false\n');
  return root;
}

/** Builds `test/fixtures/<name>.c` as a static program at `/<name>` in `root` (it needs nothing there). */
export function buildStaticFixture(root: string, name: string): string {
  const out = join(root, name);
  execFileSync('cc', ['-static', '-O2', '-o', out, join(import.meta.dirname, '../../fixtures', `${name}.c`)]);
  return `/${name}`;
}

/** A spec like Docker's for `args` in `root`. */
export function baseSpec(root: string, args: string[], extra: Partial<RuntimeSpec> = {}): RuntimeSpec {
  return {
    ociVersion: '1.1.0',
    process: {
      user: { uid: 0, gid: 0 },
      args,
      env: ['PATH=/bin', 'HOME=/root'],
      cwd: '/',
      capabilities: {
        bounding: [...DEFAULT_CAPABILITIES],
        effective: [...DEFAULT_CAPABILITIES],
        permitted: [...DEFAULT_CAPABILITIES],
      },
      noNewPrivileges: true,
    },
    root: { path: root },
    hostname: 'ocikit-test',
    mounts: defaultMounts(),
    linux: {
      namespaces: ['pid', 'mount', 'ipc', 'uts', 'network', 'cgroup'].map((type) => ({ type })) as NonNullable<
        RuntimeSpec['linux']
      >['namespaces'],
      maskedPaths: [...DEFAULT_MASKED_PATHS],
      readonlyPaths: [...DEFAULT_READONLY_PATHS],
    },
    ...extra,
  };
}

/** Output files for a process's stdout and stderr. */
export class Capture {
  readonly dir = mkdtempSync(join(tmpdir(), 'ocikit-out-'));
  readonly stdin = openSync('/dev/null', 'r');
  readonly stdoutFd = openSync(join(this.dir, 'out'), 'w');
  readonly stderrFd = openSync(join(this.dir, 'err'), 'w');
  get stdio(): [number, number, number] {
    return [this.stdin, this.stdoutFd, this.stderrFd];
  }
  get stdout(): string {
    return readFileSync(join(this.dir, 'out'), 'utf8');
  }
  get stderr(): string {
    return readFileSync(join(this.dir, 'err'), 'utf8');
  }
  close(): void {
    for (const fd of [this.stdin, this.stdoutFd, this.stderrFd]) closeSync(fd);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs `spec` to completion; returns the exit status and output. */
export async function run(
  spec: RuntimeSpec,
  options: Partial<SpawnOptions> = {},
): Promise<ExitStatus & { stdout: string; stderr: string }> {
  const cap = new Capture();
  try {
    const c = spawnContainer(spec, { stdio: cap.stdio, ...options });
    const status = await c.exited;
    return { ...status, stdout: cap.stdout, stderr: cap.stderr };
  } finally {
    cap.close();
  }
}

/** Kills `c` if it still runs and waits for it. */
export async function reap(c: ContainerProcess | undefined): Promise<void> {
  if (!c) return;
  if (c.running) {
    try {
      c.kill('SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  await c.exited;
}

/** A v1 cgroup (one directory per controller) under this process's own cgroups, named with `ocikit`. */
export class TestCgroup {
  readonly paths: Record<string, string> = {};
  constructor(name: string, controllers: string[]) {
    const own = readFileSync('/proc/self/cgroup', 'utf8');
    for (const ctl of controllers) {
      const line = own.split('\n').find((l) => l.split(':')[1]?.split(',').includes(ctl));
      const rel = line?.split(':')[2] ?? '/';
      const base = `/sys/fs/cgroup/${ctl}${rel === '/' ? '' : rel}`;
      const dir = join(base, `ocikit-test-${name}-${process.pid}`);
      mkdirSync(dir, { recursive: true });
      this.paths[ctl] = dir;
    }
  }
  get all(): string[] {
    return Object.values(this.paths);
  }
  write(ctl: string, file: string, value: string): void {
    writeFileSync(join(this.paths[ctl] ?? '', file), value);
  }
  read(ctl: string, file: string): string {
    return readFileSync(join(this.paths[ctl] ?? '', file), 'utf8');
  }
  remove(): void {
    for (const dir of this.all) {
      for (let i = 0; i < 50 && existsSync(dir); i++) {
        try {
          rmdirSync(dir);
        } catch {
          execFileSync('sleep', ['0.05']);
        }
      }
    }
  }
}
