/**
 * What `docker inspect`, `docker top` and `docker stats` show of a container.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import type { CgroupStats } from '../native/cgroup.js';
import type { RunRecord } from './runtime-record.js';
import type { ContainerState } from './state.js';

/** `docker inspect` of a container (the Engine API's field names; a subset). */
export interface ContainerInspect {
  Id: string;
  Created: string;
  Path: string;
  Args: string[];
  State: {
    Status: string;
    Running: boolean;
    Paused: boolean;
    Restarting: false;
    OOMKilled: boolean;
    Dead: boolean;
    Pid: number;
    ExitCode: number;
    StartedAt: string;
    FinishedAt: string;
  };
  Image: string;
  Name: string;
  Driver: string;
  Config: {
    Hostname: string;
    User: string;
    Env: string[];
    Cmd: string[];
    WorkingDir: string;
    Tty: boolean;
    OpenStdin: boolean;
    Labels: Record<string, string>;
    Image: string;
    StopSignal: string;
    StopTimeout: number;
  };
  HostConfig: {
    AutoRemove: boolean;
    ReadonlyRootfs: boolean;
    Memory: number;
    MemorySwap: number;
    NanoCpus: number;
    CpuShares: number;
    PidsLimit: number;
    Privileged: boolean;
    NetworkMode: string;
    CapAdd: string[];
    CapDrop: string[];
  };
  Mounts: Array<{ Type: string; Name?: string; Source: string; Destination: string; RW: boolean }>;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Builds the inspect view of `s`. */
export function inspectState(s: ContainerState, run: RunRecord | undefined): ContainerInspect {
  const o = s.config.options;
  const m = s.config.merged;
  const running = s.status === 'running' || s.status === 'paused';
  return {
    Id: s.id,
    Created: s.created,
    Path: m.args[0] ?? '',
    Args: m.args.slice(1),
    State: {
      Status: s.status,
      Running: running,
      Paused: s.status === 'paused',
      Restarting: false,
      OOMKilled: s.oomKilled,
      Dead: s.status === 'dead',
      Pid: running ? (run?.pid ?? s.pid ?? 0) : 0,
      ExitCode: s.exitCode ?? 0,
      StartedAt: s.startedAt ?? ZERO_TIME,
      FinishedAt: s.finishedAt ?? ZERO_TIME,
    },
    Image: s.image.id,
    Name: `/${s.name}`,
    Driver: s.snapshotter === 'overlay' ? 'overlay2' : 'vfs',
    Config: {
      Hostname: m.hostname, User: m.user, Env: m.env, Cmd: m.args, WorkingDir: m.workdir, Tty: m.tty, OpenStdin: m.openStdin,
      Labels: m.labels, Image: s.image.ref, StopSignal: m.stopSignal, StopTimeout: m.stopTimeout,
    },
    HostConfig: {
      AutoRemove: o.rm === true || o.autoRemove === true,
      ReadonlyRootfs: o.readonlyRootfs === true,
      Memory: o.memory ?? 0,
      MemorySwap: o.memorySwap ?? 0,
      NanoCpus: Math.round((o.cpus ?? 0) * 1e9),
      CpuShares: o.cpuShares ?? 0,
      PidsLimit: o.pidsLimit ?? 0,
      Privileged: o.privileged === true,
      NetworkMode: o.network ?? 'none',
      CapAdd: o.capAdd ?? [],
      CapDrop: o.capDrop ?? [],
    },
    Mounts: s.mounts
      .filter((r) => r.option.type !== 'tmpfs')
      .map((r) => ({
        Type: r.option.type,
        ...(r.volume !== undefined ? { Name: r.volume } : {}),
        Source: r.hostPath ?? '',
        Destination: r.option.target,
        RW: r.option.type === 'tmpfs' || r.option.readonly !== true,
      })),
  };
}

/** `docker top`: column titles and one row per process. */
export interface ContainerTop {
  Titles: string[];
  Processes: string[][];
}

const TICKS = 100;

function userNames(): Map<number, string> {
  const names = new Map<number, string>();
  try {
    for (const l of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const f = l.split(':');
      if (f.length > 2 && f[0]) names.set(Number(f[2]), f[0]);
    }
  } catch {
    // numeric ids then
  }
  return names;
}

function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`;
}

/** `ps -ef`-like rows for `pids`, read from `/proc` (processes gone meanwhile are skipped). */
export function topRows(pids: number[]): ContainerTop {
  const names = userNames();
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const boot = Date.now() / 1000 - uptime;
  const rows: string[][] = [];
  for (const pid of [...pids].sort((a, b) => a - b)) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ') || `[${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}]`;
      const cpu = (Number(f[11]) + Number(f[12])) / TICKS;
      const started = Number(f[19]) / TICKS;
      const elapsed = Math.max(uptime - started, 1e-3);
      const st = new Date((boot + started) * 1000);
      rows.push([
        names.get(uid) ?? String(uid), String(pid), String(f[1]), String(Math.floor((cpu / elapsed) * 100)),
        `${String(st.getHours()).padStart(2, '0')}:${String(st.getMinutes()).padStart(2, '0')}`, '?', clock(cpu), cmd,
      ]);
    } catch {
      // exited while we looked
    }
  }
  return { Titles: ['UID', 'PID', 'PPID', 'C', 'STIME', 'TTY', 'TIME', 'CMD'], Processes: rows };
}

/** `container.stats()`: the cgroup's counters and when they were read. */
export interface ContainerStats extends CgroupStats {
  /** ISO 8601 time of the reading. */
  read: string;
}
