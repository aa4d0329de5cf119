/**
 * Parsing `WWW-Authenticate` challenges (RFC 7235) as registries send them.
 *
 * @module
 */

/** One authentication challenge. */
export interface Challenge {
  /** Lowercased scheme: `bearer`, `basic`, … */
  scheme: string;
  /** Parameters with lowercased names (`realm`, `service`, `scope`, `error`). */
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header value, which may hold several challenges,
 * each `Scheme k="v", k2=v2`.
 */
export function parseChallenges(header: string): Challenge[] {
  const out: Challenge[] = [];
  let i = 0;
  const n = header.length;
  const skipSpaces = (): void => {
    while (i < n && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n && /[!#$%&'*+\-.^_`|~0-9A-Za-z]/.test(header[i] ?? '')) i++;
    return header.slice(start, i);
  };
  while (i < n) {
    skipSpaces();
    while (i < n && header[i] === ',') {
      i++;
      skipSpaces();
    }
    const scheme = token();
    if (scheme === '') {
      i++;
      continue;
    }
    const challenge: Challenge = { scheme: scheme.toLowerCase(), params: {} };
    out.push(challenge);
    for (;;) {
      skipSpaces();
      const save = i;
      const name = token();
      skipSpaces();
      if (name === '' || header[i] !== '=') {
        i = save;
        break;
      }
      i++;
      skipSpaces();
      let value = '';
      if (header[i] === '"') {
        i++;
        while (i < n && header[i] !== '"') {
          if (header[i] === '\\' && i + 1 < n) i++;
          value += header[i];
          i++;
        }
        i++;
      } else {
        const start = i;
        while (i < n && header[i] !== ',' && header[i] !== ' ') i++;
        value = header.slice(start, i);
      }
      challenge.params[name.toLowerCase()] = value;
      skipSpaces();
      if (header[i] === ',') {
        i++;
        continue;
      }
      break;
    }
  }
  return out;
}
