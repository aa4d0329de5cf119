// The hand-written TS interface of the addon (lib/native/addon.ts) against the binary napi-rs built:
// the compiler ties NATIVE_FUNCTIONS to NativeBinding, this test ties it to the loaded exports.
import { NATIVE_FUNCTIONS, native } from '../../../lib/native/addon.js';

describe('native binding interface', () => {
  const loaded = native() as unknown as Record<string, unknown>;

  test('every declared function is exported as a function', () => {
    const missing = NATIVE_FUNCTIONS.filter((name) => typeof loaded[name] !== 'function');
    expect(missing).toEqual([]);
  });

  test('nothing is exported that the interface does not declare', () => {
    const declared = new Set<string>(NATIVE_FUNCTIONS);
    expect(Object.keys(loaded).filter((name) => !declared.has(name))).toEqual([]);
  });
});
