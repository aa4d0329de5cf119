import { SyscallError } from '../../../lib/errors.js';
import { callNative, callNativeAsync, fromNative } from '../../../lib/native/call.js';

describe('native error conversion', () => {
  test('a plain error with errno and syscall becomes a SyscallError', () => {
    const raw = Object.assign(new Error('mount failed: No such file or directory (ENOENT): /x'), {
      code: 'ENOENT', errno: 2, syscall: 'mount', path: '/x',
    });
    const e = fromNative(raw);
    expect(e).toBeInstanceOf(SyscallError);
    expect(e).toMatchObject({ code: 'ENOENT', errno: 2, syscall: 'mount', path: '/x', message: raw.message, cause: raw });
  });

  test('other errors pass through unchanged', () => {
    const t = new TypeError('path must be a string');
    expect(fromNative(t)).toBe(t);
    expect(fromNative('text')).toBe('text');
    expect(() => callNative(() => { throw t; })).toThrow(t);
    expect(callNative(() => 42)).toBe(42);
  });

  test('callNativeAsync converts a rejection; an abort rejects with the signal\'s reason', async () => {
    const raw = Object.assign(new Error('cgroup remove failed'), { code: 'EBUSY', errno: 16, syscall: 'cgroup remove' });
    await expect(callNativeAsync(() => Promise.reject(raw))).rejects.toBeInstanceOf(SyscallError);
    await expect(callNativeAsync(() => Promise.resolve(7))).resolves.toBe(7);
    const ac = new AbortController();
    ac.abort();
    let called = false;
    await expect(callNativeAsync(async () => { called = true; }, ac.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(called).toBe(false);
    const late = new AbortController();
    const p = callNativeAsync(() => new Promise((_r, reject) => late.signal.addEventListener('abort', () => reject(raw))), late.signal);
    late.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });
});
