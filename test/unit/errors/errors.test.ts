import { OcikitError, InvalidReferenceError, SyscallError, RuntimeError, RegistryError, DigestMismatchError } from '../../../lib/errors.js';

describe('errors', () => {
  it('every error is an OcikitError with a stable code and its own name', () => {
    const e = new InvalidReferenceError('UBUNTU', 'path', 'must be lowercase');
    expect(e).toBeInstanceOf(OcikitError);
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe('ERR_INVALID_REFERENCE');
    expect(e.name).toBe('InvalidReferenceError');
    expect(e.part).toBe('path');
    expect(e.message).toContain('path must be lowercase');
  });

  it('SyscallError carries errno, syscall and path and is a RuntimeError', () => {
    const e = new SyscallError('pivot_root failed', { errno: 1, syscall: 'pivot_root', path: '/x', errnoName: 'EPERM' });
    expect(e).toBeInstanceOf(RuntimeError);
    expect([e.code, e.errno, e.syscall, e.path]).toEqual(['EPERM', 1, 'pivot_root', '/x']);
  });

  it('keeps the cause and registry details', () => {
    const cause = new Error('socket hang up');
    const e = new RegistryError('ERR_REGISTRY_HTTP', 'failed', { status: 404, registryCode: 'MANIFEST_UNKNOWN', cause });
    expect(e.cause).toBe(cause);
    expect(e.status).toBe(404);
    expect(e.registryCode).toBe('MANIFEST_UNKNOWN');
    expect(new DigestMismatchError('sha256:a', 'sha256:b').code).toBe('ERR_DIGEST_MISMATCH');
  });
});
