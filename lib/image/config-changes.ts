/**
 * Dockerfile-style config changes (`docker import -c`, `docker commit -c`):
 * `CMD`, `ENTRYPOINT`, `ENV`, `WORKDIR`, `USER`, `LABEL`, `EXPOSE`, `VOLUME`,
 * `STOPSIGNAL` and `ONBUILD`, in JSON and shell forms.
 *
 * @module
 */
import { posix } from 'node:path';
import { ImageError } from '../errors.js';
import type { ContainerConfig } from '../oci/image-types.js';
import { replaceOrAppendEnv } from '../util/env-merge.js';

/** Instructions {@link applyConfigChanges} accepts. */
export const CHANGE_INSTRUCTIONS = ['CMD', 'ENTRYPOINT', 'ENV', 'WORKDIR', 'USER', 'LABEL', 'EXPOSE', 'VOLUME', 'STOPSIGNAL', 'ONBUILD'] as const;

function bad(change: string, why: string): ImageError {
  return new ImageError('ERR_INVALID_CHANGE', `invalid change ${JSON.stringify(change)}: ${why}`);
}

/** A JSON array of strings, or `undefined` when `text` is not one. */
function jsonArray(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const v: unknown = JSON.parse(text);
    if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v as string[];
  } catch {
    // not JSON: shell form
  }
  return undefined;
}

/** Splits words as Dockerfile arguments are split: whitespace separates, quotes group, `\` escapes. */
export function splitWords(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) cur += text[++i];
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < text.length) {
      cur += text[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) out.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (quote !== undefined) throw new ImageError('ERR_INVALID_CHANGE', `unmatched quote in ${JSON.stringify(text)}`);
  if (has) out.push(cur);
  return out;
}

/** `K=V K2="v 2"` pairs, or the legacy `K value with spaces` form. */
function pairs(change: string, rest: string, legacy: boolean): [string, string][] {
  const words = splitWords(rest);
  if (words.length === 0) throw bad(change, 'missing arguments');
  if (!(words[0] as string).includes('=')) {
    if (!legacy || words.length < 2) throw bad(change, 'expected KEY=VALUE');
    // Legacy `ENV KEY value with spaces`: the value is the rest of the line as written.
    const key = words[0] as string;
    return [[key, rest.trim().slice(rest.trim().indexOf(key) + key.length).trim()]];
  }
  return words.map((w) => {
    const eq = w.indexOf('=');
    if (eq <= 0) throw bad(change, `expected KEY=VALUE, got ${JSON.stringify(w)}`);
    return [w.slice(0, eq), w.slice(eq + 1)];
  });
}

/**
 * Applies Dockerfile instructions to a runtime config and returns the new one
 * (the input is not changed).
 *
 * @throws ImageError `ERR_INVALID_CHANGE` for an unknown instruction or bad arguments.
 */
export function applyConfigChanges(config: ContainerConfig | undefined, changes: readonly string[]): ContainerConfig {
  const out: ContainerConfig = { ...(config ?? {}) };
  for (const raw of changes) {
    const change = raw.trim();
    const m = /^(\S+)(?:\s+([\s\S]*))?$/.exec(change);
    if (m === null) throw bad(raw, 'empty');
    const instruction = (m[1] as string).toUpperCase();
    const rest = (m[2] ?? '').trim();
    if (rest === '' && instruction !== 'CMD' && instruction !== 'ENTRYPOINT') throw bad(raw, 'missing arguments');
    switch (instruction) {
      case 'CMD':
      case 'ENTRYPOINT': {
        const argv = jsonArray(rest) ?? (rest === '' ? [] : ['/bin/sh', '-c', rest]);
        if (instruction === 'CMD') out.Cmd = argv;
        else {
          out.Entrypoint = argv;
          // As in a Dockerfile, a new ENTRYPOINT drops the CMD inherited from the base.
          if (!changes.some((c) => /^\s*CMD\b/i.test(c))) out.Cmd = null;
        }
        break;
      }
      case 'ENV': {
        out.Env = replaceOrAppendEnv(out.Env ?? [], pairs(raw, rest, true).map(([k, v]) => `${k}=${v}`));
        break;
      }
      case 'LABEL':
        out.Labels = { ...(out.Labels ?? {}), ...Object.fromEntries(pairs(raw, rest, true)) };
        break;
      case 'WORKDIR': {
        const dir = splitWords(rest).join(' ');
        out.WorkingDir = posix.resolve(out.WorkingDir !== undefined && out.WorkingDir !== '' ? out.WorkingDir : '/', dir);
        break;
      }
      case 'USER':
        out.User = splitWords(rest).join(' ');
        break;
      case 'STOPSIGNAL':
        out.StopSignal = splitWords(rest).join(' ');
        break;
      case 'EXPOSE': {
        const ports = { ...(out.ExposedPorts ?? {}) };
        for (const p of splitWords(rest)) {
          const pm = /^(\d{1,5})(?:-(\d{1,5}))?(?:\/(tcp|udp|sctp))?$/i.exec(p);
          if (pm === null) throw bad(raw, `invalid port ${JSON.stringify(p)}`);
          const lo = Number(pm[1]);
          const hi = pm[2] !== undefined ? Number(pm[2]) : lo;
          if (hi < lo || hi > 65535) throw bad(raw, `invalid port range ${JSON.stringify(p)}`);
          for (let n = lo; n <= hi; n++) ports[`${n}/${(pm[3] ?? 'tcp').toLowerCase()}`] = {};
        }
        out.ExposedPorts = ports;
        break;
      }
      case 'VOLUME': {
        const vols = { ...(out.Volumes ?? {}) };
        for (const v of jsonArray(rest) ?? splitWords(rest)) {
          if (v === '') throw bad(raw, 'empty volume path');
          vols[v] = {};
        }
        out.Volumes = vols;
        break;
      }
      case 'ONBUILD':
        out.OnBuild = [...(out.OnBuild ?? []), rest];
        break;
      default:
        throw bad(raw, `${instruction} is not a supported instruction (${CHANGE_INSTRUCTIONS.join(', ')})`);
    }
  }
  return out;
}
