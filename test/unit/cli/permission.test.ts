import { RootRequiredError } from '../../../lib/errors.js';
import { explainPermission, refuseWithoutRoot } from '../../../lib/cli/permission.js';

const eacces = (): Error => Object.assign(new Error("EACCES: permission denied, mkdir '/r/blobs'"), { code: 'EACCES' });

describe('explainPermission', () => {
  it('names the missing root for a user who is not root, keeping the system message and the cause', () => {
    const err = eacces();
    const out = explainPermission(err, 1000);
    expect(out).toBeInstanceOf(RootRequiredError);
    expect((out as RootRequiredError).code).toBe('ERR_ROOT_REQUIRED');
    expect((out as Error).message).toBe("ocikit needs root (rootless mode is not available yet): EACCES: permission denied, mkdir '/r/blobs'");
    expect((out as Error).cause).toBe(err);
  });

  it('finds EPERM in a cause chain', () => {
    const inner = Object.assign(new Error('capset'), { code: 'EPERM' });
    expect(explainPermission(new Error('start failed', { cause: inner }), 1000)).toBeInstanceOf(RootRequiredError);
  });

  it('leaves root, other errors and already explained ones alone', () => {
    const err = eacces();
    expect(explainPermission(err, 0)).toBe(err);
    const other = Object.assign(new Error('nope'), { code: 'ENOENT' });
    expect(explainPermission(other, 1000)).toBe(other);
    const done = new RootRequiredError('run');
    expect(explainPermission(done, 1000)).toBe(done);
  });
});

describe('refuseWithoutRoot', () => {
  it('refuses run and create for a user who is not root only', () => {
    expect(() => refuseWithoutRoot('run', 1000)).toThrow(RootRequiredError);
    expect(() => refuseWithoutRoot('create', 65534)).toThrow('ocikit needs root (rootless mode is not available yet)');
    expect(() => refuseWithoutRoot('run', 0)).not.toThrow();
    expect(() => refuseWithoutRoot('images', 1000)).not.toThrow();
  });
});
