#!/usr/bin/env node
// pretest: make sure the real peers the tests start are installed. As root on Debian
// the missing packages are installed with apt-get; elsewhere we stop and name them.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** command the tests run → Debian package that provides it */
const PEERS = [
  ['docker-registry', 'docker-registry'],
  ['skopeo', 'skopeo'],
  ['umoci', 'umoci'],
  ['crun', 'crun'],
  ['runc', 'runc'],
  ['busybox', 'busybox-static'],
  ['htpasswd', 'apache2-utils'],
  ['openssl', 'openssl'],
  ['zstd', 'zstd'],
  ['setfattr', 'attr'],
  ['podman', 'podman'],
];

const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
// busybox must be the static build: test images copy it into a rootfs with no libc.
const staticBusybox = () => {
  if (!has('busybox')) return false;
  const out = spawnSync('sh', ['-c', 'file -L "$(command -v busybox)" 2>/dev/null || ldd "$(command -v busybox)" 2>&1'], { encoding: 'utf8' }).stdout;
  return /statically linked|not a dynamic executable/.test(out);
};

const missing = PEERS.filter(([cmd]) => (cmd === 'busybox' ? !staticBusybox() : !has(cmd))).map(([, pkg]) => pkg);
if (missing.length === 0) process.exit(0);

const isDebian = existsSync('/etc/debian_version');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (isDebian && isRoot) {
  console.log(`pretest: installing test peers: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
  process.exit(0);
}
const distro = existsSync('/etc/os-release') ? (readFileSync('/etc/os-release', 'utf8').match(/^PRETTY_NAME="?([^"\n]*)/m)?.[1] ?? 'this system') : 'this system';
console.error(`The tests need these packages, missing on ${distro}:\n  ${missing.join(' ')}\n` +
  `Install them (Debian/Ubuntu: sudo apt-get install ${missing.join(' ')}) and run npm test again.` +
  (isRoot ? '' : '\nMost tests also need root (namespaces, mounts, cgroups): run npm test as root.'));
process.exit(1);
