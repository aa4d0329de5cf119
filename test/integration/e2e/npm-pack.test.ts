// The package as an app gets it: packed, installed from the tarball into a fresh project, used for a
// detached container (which needs the monitor shipped or built at install time).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeBusyboxTar } from '../../helpers/busybox-rootfs.js';

const SUBPATHS = ['ocikit', 'ocikit/reference', 'ocikit/oci', 'ocikit/registry', 'ocikit/layer', 'ocikit/snapshot'];

// A TypeScript consumer of every entry, compiled against the installed package's .d.ts.
const TYPED_APP = `import { Container, Image, type PullOptions, type RunOptions } from 'ocikit';
import { parseReference } from 'ocikit/reference';
import { parseDigest, type Digest } from 'ocikit/oci';
import { bufferSource } from 'ocikit/registry';
import { unpackLayers } from 'ocikit/layer';
import { createSnapshotter } from 'ocikit/snapshot';
const pull: PullOptions = { platform: 'linux/amd64' };
const run: RunOptions = { cmd: ['true'] };
const d: Digest | string = parseDigest('sha256:' + '0'.repeat(64)).hex;
export const used = [Container.run, Image.pull, pull, run, d, parseReference('busybox').name, bufferSource, unpackLayers, createSnapshotter];
`;

const repo = resolve(new URL('.', import.meta.url).pathname, '../../..');
const asRoot = process.geteuid?.() === 0 ? describe : describe.skip;

const APP = `import { createReadStream } from 'node:fs';
import { Container, Image } from 'ocikit';
const image = await Image.import(createReadStream(process.argv[2]), { ref: 'packtest/busybox:1', changes: ['ENV PATH=/bin'] });
try {
  const c = await Container.run(image, { cmd: ['sleep', '100'], detach: true });
  try {
    console.log((await c.exec(['echo', 'from-the-packed-package'])).stdout.trim());
  } finally {
    await c.remove({ force: true });
  }
} catch (err) {
  console.log(JSON.stringify({ name: err.name, code: err.code, message: err.message, left: (await Container.list({ all: true })).length }));
} finally {
  await Image.remove('packtest/busybox:1');
}
`;

asRoot('npm pack → npm install into an app → a detached container', () => {
  let tmp: string;
  let app: string;
  let tar: string;
  const env = (): NodeJS.ProcessEnv => ({ ...process.env, OCIKIT_ROOT: join(tmp, 'root') });
  const runApp = (): string => execFileSync(process.execPath, ['app.mjs', tar], { cwd: app, env: env(), encoding: 'utf8' }).trim();

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ocikit-pack-'));
    app = join(tmp, 'app');
    mkdirSync(app);
    tar = writeBusyboxTar(join(tmp, 'busybox.tar'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('the tarball holds the monitor and what building from source needs', () => {
    const out = execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', tmp], { cwd: repo, encoding: 'utf8' });
    const file = join(tmp, out.trim().split('\n').pop()!);
    const list = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n');
    for (const f of ['lib/native/ocikit-monitor', 'crates/ocikit/build.rs', 'crates/ocikit/install.mjs', 'crates/ocikit/helper/ocikit-exec.rs', 'dist/index.js']) {
      expect(list).toContain(`package/${f}`);
    }
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'pack-test-app', private: true, type: 'module' }));
    writeFileSync(join(app, 'app.mjs'), APP);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', file], { cwd: app, stdio: 'pipe' });
  }, 180_000);

  test('an app runs a detached container and execs in it', () => {
    expect(runApp()).toBe('from-the-packed-package');
  }, 60_000);

  test('every subpath imports from the installed package', () => {
    const code = `for (const s of ${JSON.stringify(SUBPATHS)}) { const m = await import(s); if (Object.keys(m).length === 0) throw new Error(s + ' is empty'); } console.log('ok');`;
    expect(execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: app, encoding: 'utf8' }).trim()).toBe('ok');
  });

  test('a TypeScript file compiles against the types with node16 and bundler resolution', () => {
    writeFileSync(join(app, 'typed.ts'), TYPED_APP);
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    const common = ['--noEmit', '--strict', '--target', 'ES2022', '--lib', 'ES2022,ESNext.Disposable', '--types', 'node', '--typeRoots', join(repo, 'node_modules', '@types')];
    for (const [mod, resolution] of [['node16', 'node16'], ['esnext', 'bundler']] as const) {
      const r = spawnSync(process.execPath, [tsc, ...common, '--module', mod, '--moduleResolution', resolution, 'typed.ts'], { cwd: app, encoding: 'utf8' });
      expect({ resolution, out: r.stdout + r.stderr, status: r.status }).toEqual({ resolution, out: '', status: 0 });
    }
  }, 60_000);

  test('require() from CommonJS fails and says to use import', () => {
    for (const s of SUBPATHS) {
      const r = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(s)})`], { cwd: app, encoding: 'utf8' });
      expect(r.status).not.toBe(0);
      expect(r.stderr).toContain('ES module only');
      expect(r.stderr).toContain('import');
    }
  });

  test('without the monitor: a typed error and no container left; npm rebuild builds it back', () => {
    const monitor = join(app, 'node_modules', 'ocikit', 'lib', 'native', 'ocikit-monitor');
    rmSync(monitor);
    const failed = JSON.parse(runApp()) as { name: string; code: string; message: string; left: number };
    expect(failed).toMatchObject({ name: 'NativeLoadError', code: 'ERR_NATIVE_MISSING', left: 0 });
    expect(failed.message).toContain('npm rebuild ocikit');
    // the install step builds what is missing (the repository's cargo target dir keeps this quick)
    const r = spawnSync('npm', ['rebuild', 'ocikit'], {
      cwd: app, encoding: 'utf8', env: { ...process.env, CARGO_TARGET_DIR: join(repo, 'crates', 'ocikit', 'target') },
    });
    expect(r.status).toBe(0);
    expect(existsSync(monitor)).toBe(true);
    expect(runApp()).toBe('from-the-packed-package');
  }, 300_000);
});
