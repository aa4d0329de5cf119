#!/usr/bin/env node
// Builds the native side (`cargo build --release --locked`; napi-build in build.rs sets up the
// addon's link, so no @napi-rs/cli is needed) and puts the outputs where lib/native/addon.ts looks
// for them: lib/native/ocikit.linux-<arch>-<libc>.node (napi-rs's naming) and lib/native/ocikit-monitor.
// The loader resolves `../../lib/native/` from its own file, so both lib/native (tests) and
// dist/native (built package) find the same copy: nothing is copied into dist/.
import { spawnSync } from 'node:child_process';
import { copyFileSync, chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const crateDir = dirname(fileURLToPath(import.meta.url));
const repoDir = join(crateDir, '..', '..');
const outDir = join(repoDir, 'lib', 'native');
const targetDir = process.env.CARGO_TARGET_DIR ?? join(crateDir, 'target');
const cargo = process.env.CARGO ?? 'cargo';

function fail(message) {
  console.error(`build:native: ${message}`);
  process.exit(1);
}

if (process.platform !== 'linux') fail(`ocikit's native side runs on Linux only (this is ${process.platform})`);

const HOW = 'Debian 12: apt-get install cargo-web rustc-web; elsewhere: rustup (https://rustup.rs)';
const probe = spawnSync(cargo, ['--version'], { encoding: 'utf8' });
if (probe.error || probe.status !== 0) fail(`\`${cargo}\` was not found: install Rust (${HOW})`);
// Cargo.toml's rust-version is the one statement of the oldest Rust that builds us; an older cargo
// would fail on the lock file or the code with errors that do not say so
const wanted = /^rust-version\s*=\s*"([\d.]+)"/m.exec(readFileSync(join(crateDir, 'Cargo.toml'), 'utf8'))?.[1];
const versionOf = (out) => /\b(\d+)\.(\d+)(?:\.(\d+))?/.exec(out)?.slice(1).map((n) => Number(n ?? 0));
const older = (a, b) => {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
};
const rustc = spawnSync(process.env.RUSTC ?? 'rustc', ['--version'], { encoding: 'utf8' });
for (const [tool, out] of [['cargo', probe.stdout], ['rustc', rustc.stdout ?? '']]) {
  const have = versionOf(out);
  if (wanted && have && older(have, versionOf(wanted))) {
    fail(`ocikit's native side needs Rust >= ${wanted}; this ${tool} is ${have.join('.')} (${HOW})`);
  }
}

const started = process.hrtime.bigint();
const build = spawnSync(
  cargo,
  ['build', '--release', '--locked', '--manifest-path', join(crateDir, 'Cargo.toml')],
  { stdio: 'inherit', env: { ...process.env, CARGO_TARGET_DIR: targetDir } },
);
if (build.error) fail(`cannot run cargo: ${build.error.message}`);
if (build.status !== 0) fail(`cargo build failed (exit ${build.status ?? build.signal})`);

// The monitor runs once per detached container, so its resident size counts hundreds of times:
// link it statically, non-PIE (no ld.so, no shared libc mapped, no start-up relocations). Built in
// a target dir of its own so the addon's and the monitor's different flags never rebuild each
// other, and without the addon feature (no Node-API code in it). Falls back to the dynamically
// linked monitor when static glibc (libc.a) is missing.
const staticDir = join(targetDir, 'static-monitor');
const monitorBuild = spawnSync(
  cargo,
  ['rustc', '--release', '--locked', '--no-default-features', '--manifest-path', join(crateDir, 'Cargo.toml'),
    '--bin', 'ocikit-monitor',
    '--', '-C', 'target-feature=+crt-static', '-C', 'relocation-model=static'],
  { stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', env: { ...process.env, CARGO_TARGET_DIR: staticDir } },
);
const staticMonitor = join(staticDir, 'release', 'ocikit-monitor');
const monitorOk = !monitorBuild.error && monitorBuild.status === 0 && existsSync(staticMonitor);
if (!monitorOk) console.warn(`build:native: static monitor build failed, using the dynamic one\n${monitorBuild.stderr ?? ''}`);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;

// gnu or musl, as the C library rustc links against (its host triple's environment)
const host = /^host:\s*(\S+)/m.exec(spawnSync(process.env.RUSTC ?? 'rustc', ['-vV'], { encoding: 'utf8' }).stdout ?? '')?.[1] ?? '';
const libc = host.endsWith('-musl') ? 'musl' : 'gnu';
const release = join(targetDir, 'release');
const outputs = [
  { from: join(release, 'libocikit.so'), to: join(outDir, `ocikit.linux-${process.arch}-${libc}.node`), mode: 0o644 },
  { from: monitorOk ? staticMonitor : join(release, 'ocikit-monitor'), to: join(outDir, 'ocikit-monitor'), mode: 0o755 },
];
mkdirSync(outDir, { recursive: true });
for (const { from, to, mode } of outputs) {
  if (!existsSync(from)) fail(`cargo succeeded but ${relative(repoDir, from)} is missing`);
  // copy then rename: a process that has the old addon mapped keeps a valid file
  const tmp = `${to}.tmp-${process.pid}`;
  copyFileSync(from, tmp);
  chmodSync(tmp, mode);
  renameSync(tmp, to);
  console.log(`build:native: ${relative(repoDir, to)} (${(statSync(to).size / 1024).toFixed(0)} KiB)`);
}
console.log(`build:native: cargo build took ${seconds.toFixed(2)} s`);
