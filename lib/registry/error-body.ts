/**
 * Turning a registry's error response (`{"errors":[…]}`) into a {@link RegistryError}.
 *
 * @module
 */
import type { Response } from 'node-fetch';
import { RegistryError, RegistryErrorCode } from '../errors.js';

/** One entry of a distribution-spec error body. */
export interface RegistryErrorEntry {
  code: string;
  message?: string;
  detail?: unknown;
}

const STATUS_CODES: Record<number, RegistryErrorCode> = {
  400: 'ERR_BAD_REQUEST',
  401: 'ERR_UNAUTHORIZED',
  403: 'ERR_DENIED',
  404: 'ERR_NOT_FOUND',
  405: 'ERR_UNSUPPORTED',
  416: 'ERR_RANGE_INVALID',
  429: 'ERR_TOOMANYREQUESTS',
};

/** Parses a distribution-spec error body; `undefined` when the text is not one. */
export function parseErrorBody(text: string): RegistryErrorEntry[] | undefined {
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null) return undefined;
    const errors = (body as { errors?: unknown }).errors;
    if (!Array.isArray(errors)) return undefined;
    return errors
      .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null && typeof e.code === 'string')
      .map((e) => ({ code: e.code as string, message: typeof e.message === 'string' ? e.message : undefined, detail: e.detail }));
  } catch {
    return undefined;
  }
}

/** `ERR_` + a distribution-spec code the registry sent, when it is one ocikit lists. */
function codeOf(registryCode: string | undefined): RegistryErrorCode | undefined {
  if (registryCode === undefined) return undefined;
  const code = `ERR_${registryCode.toUpperCase()}`;
  return Object.hasOwn(RegistryErrorCode, code) ? (code as RegistryErrorCode) : undefined;
}

/** Builds the error for an unexpected response, from its status and (at most 64 KiB of) its body. */
export async function errorFromResponse(res: Response, what: string): Promise<RegistryError> {
  let text = '';
  try {
    const buf = Buffer.from(await res.arrayBuffer());
    text = buf.subarray(0, 64 * 1024).toString('utf8');
  } catch {
    text = '';
  }
  const entries = parseErrorBody(text) ?? [];
  const first = entries[0];
  const registryCode = first?.code;
  const code = codeOf(registryCode) ?? STATUS_CODES[res.status] ?? 'ERR_REGISTRY_HTTP';
  const reason = first?.message ?? (text.length > 0 && text.length < 200 ? text.trim() : res.statusText);
  return new RegistryError(code, `${what}: ${res.status} ${reason}`.trim(), {
    status: res.status,
    registryCode,
    detail: first?.detail,
    url: res.url,
  });
}
