/**
 * Test helper: runs the built `ocikit` command (bin/ → dist/) as a child
 * process against a private root, with a busybox image imported once.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBusyboxTar } from './busybox-rootfs.js';

/** The repository root. */
export const REPO = resolve(new URL('.', import.meta.url).pathname, '../..');
/** The `ocikit` launcher. */
export const BIN = join(REPO, 'bin', 'ocikit.js');

/** What one run of the command gave. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A private root with `clitest/busybox:1` in it, and ways to run `ocikit` there. */
export interface CliSandbox {
  readonly tmp: string;
  readonly env: NodeJS.ProcessEnv;
  run(args: readonly string[], opts?: { input?: string | Buffer; timeout?: number; prefix?: readonly string[] }): CliResult;
  ok(args: readonly string[], input?: string | Buffer): string;
  /** Removes every container and the image, then the temporary directory. */
  cleanup(): void;
}

/** The image every sandbox has. */
export const BUSYBOX = 'clitest/busybox:1';

/** Makes a sandbox; call in `beforeAll`, and `cleanup()` in `afterAll`. */
export function cliSandbox(name: string): CliSandbox {
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.json` first');
  const tmp = mkdtempSync(join(tmpdir(), `ocikit-${name}-`));
  const env: NodeJS.ProcessEnv = { ...process.env, OCIKIT_ROOT: join(tmp, 'root') };
  const run: CliSandbox['run'] = (args, opts = {}) => {
    const prefix = opts.prefix ?? [];
    const [cmd, ...pre] = prefix.length > 0 ? [...prefix, process.execPath] : [process.execPath];
    const r = spawnSync(cmd as string, [...pre, BIN, ...args], { env, input: opts.input ?? '', encoding: 'utf8', timeout: opts.timeout ?? 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const ok: CliSandbox['ok'] = (args, input) => {
    const r = run(args, input === undefined ? {} : { input });
    if (r.code !== 0) throw new Error(`ocikit ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout;
  };
  ok(['import', writeBusyboxTar(join(tmp, 'rootfs.tar')), BUSYBOX, '-c', 'ENV PATH=/bin', '-c', 'CMD ["sh"]']);
  const cleanup = (): void => {
    for (const id of run(['ps', '-a', '-q', '--no-trunc']).stdout.split('\n').filter(Boolean)) run(['rm', '-f', id]);
    run(['rmi', BUSYBOX]);
    rmSync(tmp, { recursive: true, force: true });
  };
  return { tmp, env, run, ok, cleanup };
}
