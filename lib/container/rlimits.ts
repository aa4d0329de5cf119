/**
 * Resource limits (`--ulimit`) of a container, defaulting to the caller's own
 * and never above the caller's hard limits (DESIGN §3).
 *
 * @module
 */
import { hostFact } from '../util/host-fact.js';
import { readFileSync } from 'node:fs';
import { ContainerError } from '../errors.js';
import type { RuntimeRlimit } from '../oci/runtime-spec.js';
import type { UlimitOption } from './options.js';

/** A limit as `/proc/self/limits` shows it; `Infinity` for `unlimited`. */
export interface ProcessLimit {
  /** Such as `RLIMIT_NOFILE`. */
  type: string;
  soft: number;
  hard: number;
}

/**
 * How an unlimited value is written in a spec: the largest exact JSON integer.
 * (RLIM_INFINITY, 2^64-1, has no exact JSON number.) A caller's limit that is
 * unlimited on both sides is left out of the spec: the container inherits it.
 */
export const RLIMIT_UNLIMITED_IN_SPEC = Number.MAX_SAFE_INTEGER;

const LABELS: Record<string, string> = {
  'Max cpu time': 'RLIMIT_CPU',
  'Max file size': 'RLIMIT_FSIZE',
  'Max data size': 'RLIMIT_DATA',
  'Max stack size': 'RLIMIT_STACK',
  'Max core file size': 'RLIMIT_CORE',
  'Max resident set': 'RLIMIT_RSS',
  'Max processes': 'RLIMIT_NPROC',
  'Max open files': 'RLIMIT_NOFILE',
  'Max locked memory': 'RLIMIT_MEMLOCK',
  'Max address space': 'RLIMIT_AS',
  'Max file locks': 'RLIMIT_LOCKS',
  'Max pending signals': 'RLIMIT_SIGPENDING',
  'Max msgqueue size': 'RLIMIT_MSGQUEUE',
  'Max nice priority': 'RLIMIT_NICE',
  'Max realtime priority': 'RLIMIT_RTPRIO',
  'Max realtime timeout': 'RLIMIT_RTTIME',
};

function value(text: string): number {
  return text === 'unlimited' ? Infinity : Number(text);
}

/** Parses the text of `/proc/<pid>/limits`. */
export function parseProcLimits(text: string): ProcessLimit[] {
  const out: ProcessLimit[] = [];
  for (const line of text.split('\n')) {
    const m = /^(Max [a-z ]+?)\s{2,}(\d+|unlimited)\s+(\d+|unlimited)/.exec(line);
    const type = m?.[1] === undefined ? undefined : LABELS[m[1]];
    if (m === null || type === undefined) continue;
    out.push({ type, soft: value(m[2] as string), hard: value(m[3] as string) });
  }
  return out;
}

const cachedLimits = hostFact(() => parseProcLimits(readFileSync('/proc/self/limits', 'utf8')));

/** The calling process's limits (read at most once a second; see {@link hostFact}). */
export function callerLimits(): ProcessLimit[] {
  return cachedLimits().map((l) => ({ ...l }));
}

function toSpec(l: ProcessLimit, asked: boolean): RuntimeRlimit | undefined {
  if (!asked && l.soft === Infinity && l.hard === Infinity) return undefined;
  const fix = (n: number): number => (n === Infinity ? RLIMIT_UNLIMITED_IN_SPEC : n);
  return { type: l.type, soft: fix(l.soft), hard: fix(l.hard) };
}

/**
 * The rlimits of a container: the caller's own, with `ulimits` replacing some.
 *
 * @throws ContainerError `ERR_INVALID_ULIMIT` for an unknown name, soft above
 *   hard, or a hard limit above the caller's.
 */
export function containerRlimits(ulimits: UlimitOption[] | undefined, caller: ProcessLimit[]): RuntimeRlimit[] {
  const limits = new Map(caller.map((l) => [l.type, { ...l }]));
  const asked = new Set<string>();
  for (const u of ulimits ?? []) {
    const type = `RLIMIT_${u.name.toUpperCase()}`;
    if (!Object.values(LABELS).includes(type)) {
      throw new ContainerError('ERR_INVALID_ULIMIT', `invalid ulimit type: ${u.name}`);
    }
    const soft = u.soft === -1 ? Infinity : u.soft;
    const hard = u.hard === -1 ? Infinity : u.hard;
    if (!(soft >= 0 && hard >= 0) || soft > hard) {
      throw new ContainerError('ERR_INVALID_ULIMIT', `ulimit ${u.name}: soft limit ${u.soft} must be between 0 and the hard limit ${u.hard}`);
    }
    const own = limits.get(type);
    if (own !== undefined && hard > own.hard) {
      throw new ContainerError(
        'ERR_INVALID_ULIMIT',
        `ulimit ${u.name}: hard limit ${u.hard} is above this process's own hard limit ${own.hard}`,
      );
    }
    limits.set(type, { type, soft, hard });
    asked.add(type);
  }
  return [...limits.values()].map((l) => toSpec(l, asked.has(l.type))).filter((l): l is RuntimeRlimit => l !== undefined);
}
