/**
 * `volume prune` asks before removing anything, as Docker does: only `y`/`Y`
 * on stdin goes ahead; no input, other answers or a closed stdin abort.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, REPO } from '../../helpers/cli-child.js';

let tmp: string;
let env: NodeJS.ProcessEnv;

function ocikit(args: readonly string[], input = ''): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { env, input, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const names = (): string[] => ocikit(['volume', 'ls', '-q']).stdout.split('\n').filter(Boolean);
const PROMPT = 'WARNING! This will remove all local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ';

beforeAll(() => {
  if (!existsSync(join(REPO, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.json` first');
  tmp = mkdtempSync(join(tmpdir(), 'ocikit-prune-'));
  env = { ...process.env, OCIKIT_ROOT: join(tmp, 'root') };
});

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

beforeEach(() => {
  for (const n of names()) ocikit(['volume', 'rm', n]);
  expect(ocikit(['volume', 'create', 'keepme']).code).toBe(0);
});

describe('volume prune confirmation', () => {
  it.each([
    ['no input (closed stdin)', ''],
    ['an empty line', '\n'],
    ['n', 'n\n'],
    ['yes', 'yes\n'],
  ])('aborts on %s with nothing removed', (_what, input) => {
    const r = ocikit(['volume', 'prune', '-a'], input);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(PROMPT);
    expect(names()).toEqual(['keepme']);
  });

  it.each(['y\n', 'Y\n', '  y  \n', 'y'])('removes after %j', (input) => {
    const r = ocikit(['volume', 'prune', '--all'], input);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${PROMPT}Deleted Volumes:\nkeepme\n\n`);
    expect(names()).toEqual([]);
  });

  it('names anonymous volumes without --all', () => {
    expect(ocikit(['volume', 'prune'], 'n\n').stdout).toBe(
      'WARNING! This will remove anonymous local volumes not used by at least one container.\nAre you sure you want to continue? [y/N] ',
    );
  });

  it('does not ask with -f / --force', () => {
    for (const flag of ['-f', '--force']) {
      ocikit(['volume', 'create', 'keepme']);
      const r = ocikit(['volume', 'prune', '-a', flag]);
      expect(r.stdout).toBe('Deleted Volumes:\nkeepme\n\n');
      expect(names()).toEqual([]);
    }
  });

  it('exits after the answer line although stdin stays open', async () => {
    const child = spawn(process.execPath, [BIN, 'volume', 'prune', '-a'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stdin.write('y\n');
    const code = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    child.stdin.destroy();
    expect(code).toBe(0);
    expect(out).toContain('Deleted Volumes:\nkeepme\n');
  });
});
