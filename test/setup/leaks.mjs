// What a test run can leave behind on the machine: mounts, cgroups and processes of ours.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, rmdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function mounts() {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.includes('ocikit'))
    .map((l) => l.split(' ')[4]);
}

/**
 * Every cgroup directory whose path names ocikit, at any level: also the containers' own under a
 * shared `ocikit/` parent, which a baseline holding that parent would otherwise hide.
 */
function cgroups() {
  const found = [];
  const walk = (dir, depth, inside) => {
    if (depth > 8) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const p = join(dir, e.name);
      const ours = inside || e.name.includes('ocikit');
      if (ours) found.push(p);
      walk(p, depth + 1, ours);
    }
  };
  walk('/sys/fs/cgroup', 0, false);
  return found;
}

function processes() {
  const found = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (/ocikit-(monitor|shim|init)/.test(cmd[0] ?? '')) found.push(`${pid} ${cmd.join(' ').trim()}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

export function snapshotLeaks() {
  return { mounts: mounts(), cgroups: cgroups(), processes: processes() };
}

/** Items present now that were not in `baseline`. */
export function newLeaks(baseline) {
  const now = snapshotLeaks();
  const diff = (k) => now[k].filter((x) => !baseline[k].includes(x));
  return { mounts: diff('mounts'), cgroups: diff('cgroups'), processes: diff('processes') };
}

export function isDir(p) {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Removes what a run leaked (after it was reported): kills the processes, detaches the mounts and
 * removes the cgroups deepest first, so that a failed or killed suite does not leave the machine
 * dirty for the next run.
 */
export function cleanUpLeaks(leaks) {
  const kill = (pid) => {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  };
  for (const p of leaks.processes) kill(Number(p.split(' ')[0]));
  for (const m of [...leaks.mounts].sort((a, b) => b.length - a.length)) {
    spawnSync('umount', ['-l', m], { stdio: 'ignore' });
  }
  for (const dir of [...leaks.cgroups].sort((a, b) => b.length - a.length)) {
    for (let i = 0; i < 50; i++) {
      try {
        for (const pid of readFileSync(join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean)) kill(Number(pid));
        rmdirSync(dir);
        break;
      } catch (err) {
        if (err.code === 'ENOENT') break;
        spawnSync('sleep', ['0.05']);
      }
    }
  }
}
