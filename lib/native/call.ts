/**
 * Runs a binding and turns the plain error objects the addon throws (`code`, `errno`, `syscall`,
 * `path`, `detail`) into {@link SyscallError}.
 *
 * @module
 */
import { SyscallError } from '../errors.js';
import { syscallMessage } from './exec-message.js';

interface NativeErrorShape {
  message: string;
  code?: unknown;
  errno?: unknown;
  syscall?: unknown;
  path?: unknown;
  detail?: unknown;
}

function isNativeSyscallError(e: unknown): e is NativeErrorShape & { errno: number; syscall: string } {
  // not `instanceof Error`: the addon's errors may come from another realm (vm contexts, jest)
  if (typeof e !== 'object' || e === null) return false;
  const o = e as NativeErrorShape;
  return typeof o.message === 'string' && typeof o.errno === 'number' && typeof o.syscall === 'string';
}

/** napi-rs's `code` for an argument of the wrong type (`StringExpected`, `NumberExpected`, ...). */
const NAPI_ARG_CODE = /^(InvalidArg|[A-Z][a-z]+Expected)$/;

function isNapiArgError(e: unknown): e is { message: string; code: string } {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as NativeErrorShape;
  return typeof o.message === 'string' && typeof o.code === 'string' && NAPI_ARG_CODE.test(o.code);
}

/**
 * Converts `e` into a SyscallError when it came from a failed system call, and napi-rs's refusal
 * of an argument into a TypeError with code `ERR_INVALID_ARG_TYPE`; otherwise returns it.
 */
export function fromNative(e: unknown): unknown {
  if (isNapiArgError(e)) return Object.assign(new TypeError(e.message, { cause: e }), { code: 'ERR_INVALID_ARG_TYPE' });
  if (!isNativeSyscallError(e) || e instanceof SyscallError) return e;
  const path = typeof e.path === 'string' ? e.path : undefined;
  return new SyscallError(syscallMessage(e.message, e.syscall, typeof e.code === 'string' ? e.code : undefined, path), {
    errno: e.errno,
    syscall: e.syscall,
    ...(typeof e.path === 'string' ? { path: e.path } : {}),
    ...(typeof e.code === 'string' ? { errnoName: e.code } : {}),
    ...(typeof e.detail === 'string' ? { detail: e.detail } : {}),
    cause: e,
  });
}

/** Calls `fn`, rethrowing a native system call failure as {@link SyscallError}. */
export function callNative<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw fromNative(e);
  }
}

/** Awaits a binding's Promise, rethrowing as {@link callNative} does; an abort rejects with the signal's reason. */
export async function callNativeAsync<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  signal?.throwIfAborted();
  try {
    return await fn();
  } catch (e) {
    if (signal?.aborted) throw signal.reason;
    throw fromNative(e);
  }
}
