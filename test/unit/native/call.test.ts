import { SyscallError } from '../../../lib/errors.js';
import { callNative, fromNative } from '../../../lib/native/call.js';

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
});
