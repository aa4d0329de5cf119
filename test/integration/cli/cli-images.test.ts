import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildMultiLayerImage, pushBuiltImage, type BuiltImage } from '../../helpers/images.js';
import { startRegistry, type RegistryServer } from '../../helpers/registry-server.js';

const repo = resolve(new URL('.', import.meta.url).pathname, '../../..');
const bin = join(repo, 'bin', 'ocikit.js');

describe('ocikit image verbs against docker-registry (child process)', () => {
  let server: RegistryServer;
  let image: BuiltImage;
  let tmp: string;
  let root: string;
  const ocikit = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, OCIKIT_ROOT: root }, encoding: 'utf8', timeout: 60_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  beforeAll(async () => {
    if (!existsSync(join(repo, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.json` first');
    server = await startRegistry();
    tmp = mkdtempSync(join(tmpdir(), 'ocikit-cli-img-'));
    root = join(tmp, 'root');
    image = await buildMultiLayerImage({ parent: tmp });
    await pushBuiltImage(image, server.host, 'test/multi:1');
  });
  afterAll(async () => {
    await server.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('import of a file that does not exist says so, without a stack trace', () => {
    const r = ocikit('import', '/nonexistent-ocikit-tar', 'cli/missing:1');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('cannot read /nonexistent-ocikit-tar: ENOENT');
    expect(r.stderr).not.toMatch(/Unhandled|\n\s+at /);
  });

  it('pull prints a line per layer state, the digest and the status', () => {
    const ref = `${server.host}/test/multi:1`;
    const r = ocikit('pull', ref);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('1: Pulling from test/multi');
    for (const l of image.layers) expect(lines).toContain(`${l.digest.slice(7, 19)}: Pull complete`);
    expect(lines.slice(-3)).toEqual([`Digest: ${image.manifestDigest}`, `Status: Downloaded newer image for ${ref}`, ref]);
    const again = ocikit('pull', ref).stdout;
    expect(again).toContain(`${image.layers[0]?.digest.slice(7, 19)}: Already exists`);
    expect(again).toContain(`Status: Image is up to date for ${ref}`);
  });

  it('images, tag, history and inspect read the store', () => {
    expect(ocikit('tag', `${server.host}/test/multi:1`, 'local/copy:2').code).toBe(0);
    const out = ocikit('images').stdout.split('\n');
    expect(out[0]).toMatch(/^REPOSITORY +TAG +IMAGE ID +CREATED +SIZE$/);
    const id = image.configDigest.slice(7, 19);
    expect(out.filter((l) => l.includes(id))).toHaveLength(2);
    expect(out.some((l) => /^local\/copy +2 +/.test(l))).toBe(true);
    expect(ocikit('images', '-q').stdout).toBe(`${id}\n`);
    expect(ocikit('images', '--no-trunc', '-q').stdout).toBe(`${image.configDigest}\n`);
    expect(ocikit('images', 'local/copy').stdout.trimEnd().split('\n')).toHaveLength(2);

    const hist = ocikit('history', 'local/copy:2').stdout.split('\n');
    expect(hist[0]).toMatch(/^IMAGE +CREATED +CREATED BY +SIZE +COMMENT$/);
    expect(hist[1]?.startsWith(id)).toBe(true);
    expect(hist[1]).toContain('ocikit test layer 2');

    const inspected = JSON.parse(ocikit('inspect', 'local/copy:2').stdout) as { Id: string; RepoTags: string[] }[];
    expect(inspected).toHaveLength(1);
    expect(inspected[0]?.Id).toBe(image.configDigest);
    const missing = ocikit('inspect', 'no/such:1');
    expect([missing.code, missing.stdout, missing.stderr]).toEqual([125, '[]\n', 'Error: No such object: no/such:1\n']);
  });

  it('push reports layers and the pushed digest', () => {
    const ref = `${server.host}/test/pushed:3`;
    expect(ocikit('tag', 'local/copy:2', ref).code).toBe(0);
    const r = ocikit('push', ref);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`The push refers to repository [${server.host}/test/pushed]`);
    expect(lines.at(-1)).toBe(`3: digest: ${image.manifestDigest} size: ${image.manifest.length}`);
  });

  it('save -o, rmi and load -i round-trip the image', () => {
    const file = join(tmp, 'saved.tar');
    expect(ocikit('save', '-o', file, 'local/copy:2').code).toBe(0);
    expect(statSync(file).size).toBeGreaterThan(0);
    const rmi = ocikit('rmi', 'local/copy:2');
    expect(rmi.code).toBe(0);
    expect(rmi.stdout).toContain('Untagged: local/copy:2');
    const load = ocikit('load', '-i', file);
    expect(load.code).toBe(0);
    expect(load.stdout).toContain('Loaded image: local/copy:2');
    expect(ocikit('rmi', 'no/such:1').code).toBe(125);
  });

  it('save streams to stdout and load reads stdin', () => {
    const env = { ...process.env, OCIKIT_ROOT: root };
    const saved = spawnSync(process.execPath, [bin, 'save', 'local/copy:2'], { env, timeout: 60_000, maxBuffer: 256 * 2 ** 20 });
    expect(saved.status).toBe(0);
    expect(saved.stdout.subarray(257, 262).toString()).toBe('ustar');
    expect(ocikit('rmi', 'local/copy:2').code).toBe(0);
    const loaded = spawnSync(process.execPath, [bin, 'load'], { env, input: saved.stdout, encoding: 'utf8', timeout: 60_000 });
    expect([loaded.status, loaded.stdout]).toEqual([0, 'Loaded image: local/copy:2\n']);
  });
});
