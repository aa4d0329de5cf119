// The native build names the Rust it needs instead of failing inside cargo (issue 10, item 4).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(new URL('.', import.meta.url).pathname, '../../..');
const script = join(repo, 'crates', 'ocikit', 'build.mjs');

describe('crates/ocikit/build.mjs toolchain check', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ocikit-toolchain-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A stand-in for a tool that only answers `--version` (and fails loudly if asked to build). */
  const fake = (name: string, version: string): string => {
    const file = join(dir, name);
    writeFileSync(file, `#!/bin/sh\n[ "$1" = --version ] && { echo "${version}"; exit 0; }\necho built >&2; exit 99\n`, { mode: 0o755 });
    return file;
  };

  test('Cargo.toml declares rust-version', () => {
    expect(readFileSync(join(repo, 'crates', 'ocikit', 'Cargo.toml'), 'utf8')).toMatch(/^rust-version = "1\.\d+"$/m);
  });

  test("Debian 12's cargo 1.65 is refused with the version needed and how to get it", () => {
    const r = spawnSync(process.execPath, [script], {
      env: { ...process.env, CARGO: fake('cargo', 'cargo 1.65.0'), RUSTC: fake('rustc', 'rustc 1.65.0') },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/needs Rust >= 1\.\d+; this cargo is 1\.65\.0 \(Debian 12: apt-get install cargo-web rustc-web; elsewhere: rustup/);
    expect(r.stderr).not.toContain('built');
  });

  test('an old rustc behind a new cargo is refused too', () => {
    const r = spawnSync(process.execPath, [script], {
      env: { ...process.env, CARGO: fake('cargo2', 'cargo 1.96.0'), RUSTC: fake('rustc2', 'rustc 1.70.0 (90c541806 2023-05-31)') },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('this rustc is 1.70.0');
  });
});
