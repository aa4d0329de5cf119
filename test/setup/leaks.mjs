// What a test run can leave behind on the machine: mounts, cgroups and processes of ours.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function mounts() {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.includes('ocikit'))
    .map((l) => l.split(' ')[4]);
}

function cgroups() {
  const found = [];
  const walk = (dir, depth) => {
    if (depth > 4) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory()) continue;
      const p = join(dir, e.name);
      if (e.name.includes('ocikit')) found.push(p);
      else walk(p, depth + 1);
    }
  };
  walk('/sys/fs/cgroup', 0);
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
