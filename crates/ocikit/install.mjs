#!/usr/bin/env node
// npm's `install` step. A package installed from a tarball or a registry ships the addon and the
// monitor prebuilt for the platform it was packed on; when those do not fit this machine (another
// CPU or C library, or missing) they are built from the shipped sources with build.mjs (needs Rust's cargo).
// In a clone, `prepare` builds everything anyway; this step then only builds what is missing.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const crateDir = dirname(fileURLToPath(import.meta.url));
const nativeDir = join(crateDir, '..', '..', 'lib', 'native');
/** ELF e_machine of the CPUs we build for. */
const MACHINE = { x64: 62, arm64: 183 };

/** Whether `file` is an ELF binary for this CPU. */
function fits(file) {
  if (!existsSync(file)) return false;
  const head = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, 20, 0);
  } finally {
    closeSync(fd);
  }
  return head.subarray(0, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) && head.readUInt16LE(18) === MACHINE[process.arch];
}

/** `gnu` or `musl`: the C library this Node runs on (glibc reports its version, musl does not). */
function libc() {
  const header = process.report?.getReport?.().header;
  return header?.glibcVersionRuntime ? 'gnu' : 'musl';
}

if (process.platform !== 'linux') {
  console.error(`ocikit: the runtime needs Linux (this is ${process.platform}); nothing to build`);
  process.exit(0);
}
const addon = join(nativeDir, `ocikit.${process.platform}-${process.arch}-${libc()}.node`);
const monitor = join(nativeDir, 'ocikit-monitor');
if (fits(addon) && fits(monitor)) process.exit(0);
console.error('ocikit: no prebuilt native side for this machine; building it from source');
const r = spawnSync(process.execPath, [join(crateDir, 'build.mjs')], { stdio: 'inherit' });
process.exit(r.status ?? 1);
