import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startRegistry, type RegistryServer } from '../../helpers/registry-server.js';

const repo = resolve(new URL('.', import.meta.url).pathname, '../../..');
const bin = join(repo, 'bin', 'ocikit.js');
let root: string;

function ocikit(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], {
    env: { ...process.env, OCIKIT_ROOT: root },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  if (!existsSync(join(repo, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.json` first');
  root = mkdtempSync(join(tmpdir(), 'ocikit-cli-'));
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('ocikit command (child process)', () => {
  it('--help lists the verbs', () => {
    const r = ocikit('--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage:  ocikit [OPTIONS] COMMAND');
    for (const verb of ['run', 'pull', 'images', 'volume', 'info']) expect(r.stdout).toMatch(new RegExp(`^  ${verb} +\\S`, 'm'));
  });

  it('version and --version', () => {
    const r = ocikit('version');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ocikit:\n Version: +\d+\.\d+\.\d+/);
    expect(ocikit('--version').stdout).toMatch(/^ocikit version /);
  });

  it('info describes the host and the storage root', () => {
    const r = ocikit('info');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(' Images: 0\n');
    expect(r.stdout).toContain(` Ocikit Root Dir: ${root}\n`);
    expect(r.stdout).toMatch(/ Kernel Version: \S+/);
  });

  it('images on an empty store prints the header only', () => {
    const r = ocikit('images');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('REPOSITORY   TAG       IMAGE ID   CREATED   SIZE\n');
    expect(ocikit('images', '-q').stdout).toBe('');
  });

  it('volume create, ls, inspect, rm', () => {
    expect(ocikit('volume', 'create', '--label', 'app=web', 'data').stdout).toBe('data\n');
    expect(ocikit('volume', 'ls').stdout).toBe('DRIVER    VOLUME NAME\nlocal     data\n');
    const inspect = ocikit('volume', 'inspect', 'data');
    expect(inspect.code).toBe(0);
    const [v] = JSON.parse(inspect.stdout) as { Name: string; Labels: Record<string, string>; Mountpoint: string }[];
    expect(v).toMatchObject({ Name: 'data', Labels: { app: 'web' }, Mountpoint: join(root, 'volumes', 'data', '_data') });
    expect(ocikit('volume', 'rm', 'data').stdout).toBe('data\n');
    expect(ocikit('volume', 'ls', '-q').stdout).toBe('');
    const missing = ocikit('volume', 'inspect', 'data');
    expect(missing.code).toBe(125);
    expect(missing.stdout).toBe('[]\n');
  });

  it('exits 125 on usage errors and unavailable verbs', () => {
    const bad = ocikit('run', '--bogus', 'busybox');
    expect(bad.code).toBe(125);
    expect(bad.stderr).toBe("unknown flag: --bogus\nSee 'ocikit run --help'.\n");
    const rmi = ocikit('rmi', 'nothing:here');
    expect(rmi.code).toBe(125);
    expect(rmi.stderr).toMatch(/^Error: /);
  });
});

describe('ocikit login/logout against an htpasswd registry', () => {
  let server: RegistryServer;
  let config: string;
  const withConfig = (input: string | undefined, ...args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [bin, ...args], {
      env: { ...process.env, OCIKIT_ROOT: root, DOCKER_CONFIG: config, REGISTRY_AUTH_FILE: join(config, 'auth.json') },
      encoding: 'utf8',
      timeout: 30_000,
      ...(input === undefined ? {} : { input }),
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(async () => {
    server = await startRegistry({ htpasswd: { alice: 's3cret' } });
    config = mkdtempSync(join(tmpdir(), 'ocikit-cli-auth-'));
  });
  afterAll(async () => {
    await server.stop();
    rmSync(config, { recursive: true, force: true });
  });

  it('logs in with --password-stdin, stores the credentials and logs out', () => {
    const ok = withConfig('s3cret\n', 'login', '-u', 'alice', '--password-stdin', server.host);
    expect([ok.code, ok.stdout, ok.stderr]).toEqual([0, 'Login Succeeded\n', '']);
    const stored = JSON.parse(readFileSync(join(config, 'config.json'), 'utf8')) as { auths: Record<string, unknown> };
    expect(Object.keys(stored.auths)).toContain(server.host);
    expect(withConfig(undefined, 'logout', server.host).stdout).toBe(`Removing login credentials for ${server.host}\n`);
    expect(withConfig(undefined, 'logout', server.host).stdout).toBe(`Not logged in to ${server.host}\n`);
  });

  it('warns about -p and refuses wrong passwords with 125', () => {
    const bad = withConfig(undefined, 'login', '-u', 'alice', '-p', 'wrong', server.host);
    expect(bad.code).toBe(125);
    expect(bad.stderr).toContain('WARNING! Using --password via the CLI is insecure');
    expect(bad.stderr).toMatch(/Error: .*login/);
  });
});
