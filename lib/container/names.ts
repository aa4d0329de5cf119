/**
 * Container ids and names: 64-hex ids, name validation and Docker-style
 * random `adjective_surname` names.
 *
 * @module
 */
import { randomBytes, randomInt } from 'node:crypto';
import { ContainerError } from '../errors.js';

const ID_RE = /^[0-9a-f]{64}$/;
const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;

/**
 * A new random container id: 64 lower-case hex digits whose 12-digit short
 * form is never all decimal digits (so it is never read as a number).
 */
export function generateId(): string {
  for (;;) {
    const id = randomBytes(32).toString('hex');
    if (!/^[0-9]{12}$/.test(id.slice(0, 12))) return id;
  }
}

/** Whether `s` is a full container id. */
export function isFullId(s: string): boolean {
  return ID_RE.test(s);
}

/**
 * A container name without a leading `/`, checked against Docker's rule
 * `[a-zA-Z0-9][a-zA-Z0-9_.-]+`.
 *
 * @throws ContainerError `ERR_INVALID_NAME`.
 */
export function validateName(name: string): string {
  const bare = name.startsWith('/') ? name.slice(1) : name;
  if (!NAME_RE.test(bare) || bare.length > 253) {
    throw new ContainerError('ERR_INVALID_NAME', `invalid container name ${JSON.stringify(name)}: only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  }
  return bare;
}

const ADJECTIVES = [
  'agile', 'amber', 'bold', 'brave', 'bright', 'calm', 'clever', 'cosmic', 'crisp', 'curious', 'daring', 'eager',
  'earnest', 'fearless', 'festive', 'gentle', 'glad', 'golden', 'hardy', 'humble', 'jolly', 'keen', 'kind', 'lively',
  'lucid', 'mellow', 'merry', 'nimble', 'noble', 'patient', 'plucky', 'polite', 'quiet', 'quick', 'radiant', 'serene',
  'sharp', 'shiny', 'steady', 'sunny', 'swift', 'tidy', 'upbeat', 'valiant', 'vivid', 'warm', 'wise', 'witty', 'zesty',
];

const SURNAMES = [
  'agnesi', 'babbage', 'bardeen', 'bohr', 'boole', 'cannon', 'cerf', 'curie', 'darwin', 'dijkstra', 'euler', 'faraday',
  'fermat', 'feynman', 'franklin', 'gauss', 'goodall', 'hamilton', 'hopper', 'hypatia', 'johnson', 'kepler', 'knuth',
  'lamarr', 'liskov', 'lovelace', 'maxwell', 'meitner', 'mirzakhani', 'newton', 'noether', 'pascal', 'perlman',
  'ramanujan', 'ritchie', 'sammet', 'shannon', 'somerville', 'tesla', 'thompson', 'turing', 'volta', 'wilson', 'wright',
];

/**
 * A random `adjective_surname` name; with `retry` above 0, a digit is
 * appended (as Docker does after collisions).
 */
export function randomName(retry = 0): string {
  const name = `${ADJECTIVES[randomInt(ADJECTIVES.length)]}_${SURNAMES[randomInt(SURNAMES.length)]}`;
  return retry > 0 ? `${name}${randomInt(10)}` : name;
}
