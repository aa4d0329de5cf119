// Compiles the examples (tsc, examples/tsconfig.json → examples/.out) and runs
// them: `npm run examples` runs all, `npm run examples -- NAME…` some.
// `*.test.ts` examples run under jest; the others with node.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..');
execFileSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' });
const all = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'busybox-image.ts').map((f) => f.replace(/\.ts$/, ''));
const wanted = process.argv.slice(2);
const chosen = wanted.length === 0 ? all : all.filter((n) => wanted.some((w) => n === w || n === `${w}.test`));
if (chosen.length === 0) throw new Error(`no example named ${wanted.join(', ')}; have: ${all.join(', ')}`);
for (const name of chosen) {
  console.log(`\n=== ${name}`);
  if (name.endsWith('.test')) {
    const config = JSON.stringify({ rootDir: join(here, '.out'), testMatch: [`**/${name}.js`], testEnvironment: 'node', transform: {} });
    execFileSync(process.execPath, ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', join(repo, 'node_modules/jest/bin/jest.js'), '--config', config], { stdio: 'inherit', cwd: here });
  } else {
    execFileSync(process.execPath, [join(here, '.out', `${name}.js`)], { stdio: 'inherit' });
  }
}
