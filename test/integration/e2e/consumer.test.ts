// An app's first contact with the package as installed (a node_modules/ocikit link to this built
// package): `require()` says ocikit is ESM only and how to import it, and the public .d.ts compile
// in a fresh strict NodeNext project on the Node 20 types without skipLibCheck (no tar/minizlib types).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repo = resolve(new URL('.', import.meta.url).pathname, '../../..');

const APP = `import { Container, Image, OcikitError, info, type ContainerOptions } from 'ocikit';

const options: ContainerOptions = { cmd: ['true'], stopTimeout: 0 };
export async function main(): Promise<number> {
  console.log((await info()).kernelVersion);
  const image = await Image.get('local/busybox:1');
  await using c = await Container.run(image, options);
  try {
    return (await c.wait()).exitCode;
  } catch (err) {
    if (err instanceof OcikitError) console.log(err.code);
    throw err;
  }
}
`;

describe('the package as an app sees it', () => {
  let app: string;
  beforeAll(() => {
    app = mkdtempSync(join(tmpdir(), 'ocikit-consumer-'));
    mkdirSync(join(app, 'node_modules', '@types'), { recursive: true });
    symlinkSync(repo, join(app, 'node_modules', 'ocikit'));
    symlinkSync(join(repo, 'node_modules', '@types', 'node'), join(app, 'node_modules', '@types', 'node'));
  });
  afterAll(() => rmSync(app, { recursive: true, force: true }));

  test('require("ocikit") fails saying the package is ESM only and how to import it', () => {
    writeFileSync(join(app, 'cjs.cjs'), "try { require('ocikit'); } catch (err) { console.log(JSON.stringify({ code: err.code, message: err.message })); }\n");
    const r = spawnSync(process.execPath, ['cjs.cjs'], { cwd: app, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const { code, message } = JSON.parse(r.stdout) as { code: string; message: string };
    expect(code).toBe('ERR_REQUIRE_ESM');
    expect(message).toMatch(/^ocikit is an ES module only package/);
    expect(message).toContain("import { Image, Container } from 'ocikit'");
    expect(message).toContain("await import('ocikit')");
  });

  test('the public types compile with skipLibCheck off on @types/node 20, and pull in no tar types', () => {
    expect(JSON.parse(readFileSync(join(repo, 'node_modules/@types/node/package.json'), 'utf8')).version).toMatch(/^20\./);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022', 'ESNext.Disposable'], skipLibCheck: false, noEmit: true, types: ['node'] },
      files: ['app.ts'],
    }));
    writeFileSync(join(app, 'app.ts'), APP);
    const r = spawnSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', app, '--listFiles'], { cwd: app, encoding: 'utf8' });
    const errors = r.stdout.split('\n').filter((l) => /error TS/.test(l));
    expect(errors).toEqual([]);
    expect(r.status).toBe(0);
    const files = r.stdout.split('\n');
    expect(files.filter((f) => /node_modules\/(tar|minizlib|minipass)\//.test(f))).toEqual([]);
    expect(files.filter((f) => /ocikit.*\/(dist|lib)\//.test(f) || f.startsWith(join(repo, 'dist'))).length).toBeGreaterThan(0);
  }, 60_000);
});
