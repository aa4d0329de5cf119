// instanceof by brand: an error made by another copy of ocikit (a second install, another realm)
// is instanceof this copy's classes, and only of the classes it really belongs to.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as errors from '../../../lib/errors.js';
import { ContainerError, ImageError, ImageInUseError, OcikitError, RegistryError, RuntimeError, SyscallError } from '../../../lib/errors.js';

const repo = resolve(new URL('.', import.meta.url).pathname, '../../..');

type ErrorClass = typeof OcikitError;
const classes = Object.entries(errors).filter(
  (e): e is [string, ErrorClass] => typeof e[1] === 'function' && (e[1] === OcikitError || e[1].prototype instanceof Error),
);

describe('error brands', () => {
  let dir: string;
  beforeAll(() => {
    // a second copy of the compiled error modules, loaded from another path: another module instance
    execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: repo, stdio: 'pipe' });
    dir = mkdtempSync(join(tmpdir(), 'ocikit-brand-'));
    for (const f of ['errors.js', 'error-base.js', 'error-codes.js']) copyFileSync(join(repo, 'dist', f), join(dir, f));
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('every error class has a brand of its own', () => {
    expect(classes.length).toBeGreaterThan(15);
    for (const [name, C] of classes) {
      expect([name, Object.hasOwn(C, Symbol.for('ocikit.error.brand'))]).toEqual([name, true]);
    }
  });

  test("an error from another copy is instanceof this copy's class and its parents, not its siblings", async () => {
    const other = (await import(pathToFileURL(join(dir, 'errors.js')).href)) as typeof errors;
    expect(other.ContainerError).not.toBe(ContainerError);
    const e = new other.ContainerError('ERR_CONTAINER_NOT_FOUND', 'no such container: x');
    expect(e instanceof ContainerError).toBe(true);
    expect(e instanceof OcikitError).toBe(true);
    expect(e instanceof Error).toBe(true);
    expect(e instanceof ImageError).toBe(false);
    expect(e instanceof RegistryError).toBe(false);
    const inUse = new other.ImageInUseError('in use', ['a'.repeat(64)]);
    expect([inUse instanceof ImageInUseError, inUse instanceof ImageError, inUse instanceof ContainerError]).toEqual([true, true, false]);
    const sys = new other.SyscallError('mount failed', { errno: 1, syscall: 'mount', errnoName: 'EPERM' });
    expect([sys instanceof SyscallError, sys instanceof RuntimeError, sys.code]).toEqual([true, true, 'EPERM']);
    // and the other way round
    expect(new ImageError('ERR_IMAGE_NOT_FOUND', 'x') instanceof other.ImageError).toBe(true);
    expect(new ImageError('ERR_IMAGE_NOT_FOUND', 'x') instanceof other.ImageInUseError).toBe(false);
  });

  test('look-alikes are not instances', () => {
    const fake = Object.assign(new Error('x'), { code: 'ERR_CONTAINER_NOT_FOUND', name: 'ContainerError' });
    expect(fake instanceof ContainerError).toBe(false);
    expect(fake instanceof OcikitError).toBe(false);
    for (const v of [null, undefined, 'ContainerError', 42, {}]) expect(v instanceof OcikitError).toBe(false);
  });

  test("a user's subclass keeps ordinary instanceof", () => {
    class AppError extends ContainerError {}
    const a = new AppError('ERR_CONTAINER_BUSY', 'busy');
    expect([a instanceof AppError, a instanceof ContainerError, a instanceof OcikitError]).toEqual([true, true, true]);
    expect(new ContainerError('ERR_CONTAINER_BUSY', 'busy') instanceof AppError).toBe(false);
  });
});
