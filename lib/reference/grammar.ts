/**
 * The pieces of Docker's image reference grammar, each checked on its own so
 * an error can say which part is wrong.
 *
 * ```
 * reference  := name [ ":" tag ] [ "@" digest ]
 * name       := [ domain "/" ] path
 * domain     := host [ ":" port ]
 * host       := domain-name | "[" ipv6 "]"
 * path       := component ( "/" component )*
 * component  := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
 * tag        := [\w][\w.-]{0,127}
 * digest     := algorithm ":" hex        (sha256 or sha512, see lib/oci/digest.ts)
 * ```
 *
 * @module
 */
import { InvalidDigestError, InvalidReferenceError } from '../errors.js';
import { parseDigest, type Digest } from '../oci/digest.js';

/** Docker Hub's canonical domain. */
export const DOCKER_HUB_DOMAIN = 'docker.io';
/** The host that actually serves Docker Hub's registry API. */
export const DOCKER_HUB_REGISTRY = 'registry-1.docker.io';
/** Legacy name of Docker Hub, normalised to {@link DOCKER_HUB_DOMAIN}. */
export const DOCKER_HUB_LEGACY_DOMAIN = 'index.docker.io';
/** Namespace of Docker Hub's official images. */
export const OFFICIAL_NAMESPACE = 'library';
/** Tag used when a reference names neither a tag nor a digest. */
export const DEFAULT_TAG = 'latest';
/** Longest allowed name (domain and path, after normalisation). */
export const NAME_MAX_LENGTH = 255;
/** Longest allowed tag. */
export const TAG_MAX_LENGTH = 128;

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOMAIN_COMPONENT = /^[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$/;
const IPV6_HOST = /^\[[a-fA-F0-9:]+\]$/;
const PORT = /^[0-9]+$/;
const TAG = /^\w[\w.-]*$/;

/** Whether the first component of a name is a registry host rather than a path component. */
export function looksLikeDomain(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** Checks `host[:port]`; `input` is the whole reference, for the error. */
export function checkDomain(input: string, domain: string): void {
  let host = domain;
  let port: string | undefined;
  if (domain.startsWith('[')) {
    const close = domain.indexOf(']');
    if (close < 0) throw new InvalidReferenceError(input, 'domain', `${JSON.stringify(domain)} has an unclosed "["`);
    host = domain.slice(0, close + 1);
    const rest = domain.slice(close + 1);
    if (rest !== '') {
      if (!rest.startsWith(':')) throw new InvalidReferenceError(input, 'domain', `${JSON.stringify(domain)} has text after "]"`);
      port = rest.slice(1);
    }
    if (!IPV6_HOST.test(host)) {
      throw new InvalidReferenceError(input, 'domain', `${JSON.stringify(host)} is not a bracketed IPv6 address`);
    }
  } else {
    const colon = domain.indexOf(':');
    if (colon >= 0) {
      host = domain.slice(0, colon);
      port = domain.slice(colon + 1);
    }
    if (host === '') throw new InvalidReferenceError(input, 'domain', `${JSON.stringify(domain)} has an empty host`);
    for (const label of host.split('.')) {
      if (!DOMAIN_COMPONENT.test(label)) {
        throw new InvalidReferenceError(
          input,
          'domain',
          `host ${JSON.stringify(host)} is not a host name: label ${JSON.stringify(label)} must be letters, digits and inner "-"`,
        );
      }
    }
  }
  if (port !== undefined) {
    if (!PORT.test(port)) throw new InvalidReferenceError(input, 'domain', `port ${JSON.stringify(port)} must be digits`);
    const n = Number(port);
    if (n < 1 || n > 65535) throw new InvalidReferenceError(input, 'domain', `port ${port} is out of range 1-65535`);
  }
}

/** Checks the path of a repository: lowercase components with single separators. */
export function checkPath(input: string, path: string): void {
  if (path === '') throw new InvalidReferenceError(input, 'path', 'is empty');
  const components = path.split('/');
  components.forEach((component, i) => {
    if (component === '') {
      throw new InvalidReferenceError(input, 'path', `component ${i + 1} of ${JSON.stringify(path)} is empty`);
    }
    if (component !== component.toLowerCase()) {
      throw new InvalidReferenceError(input, 'path', `component ${JSON.stringify(component)} must be lowercase`);
    }
    if (!PATH_COMPONENT.test(component)) {
      throw new InvalidReferenceError(
        input,
        'path',
        `component ${JSON.stringify(component)} must be letters and digits joined by ".", "_", "__" or "-"`,
      );
    }
  });
}

/** Checks a tag. */
export function checkTag(input: string, tag: string): void {
  if (tag === '') throw new InvalidReferenceError(input, 'tag', 'is empty');
  if (tag.length > TAG_MAX_LENGTH) throw new InvalidReferenceError(input, 'tag', `exceeds ${TAG_MAX_LENGTH} characters`);
  if (!TAG.test(tag)) {
    throw new InvalidReferenceError(
      input,
      'tag',
      `${JSON.stringify(tag)} must start with a letter, digit or "_" and contain only those, "." and "-"`,
    );
  }
}

/** Checks a digest through lib/oci/digest.ts and returns it typed. */
export function checkDigest(input: string, digest: string): Digest {
  if (digest === '') throw new InvalidReferenceError(input, 'digest', 'is empty');
  try {
    parseDigest(digest);
  } catch (err) {
    if (!(err instanceof InvalidDigestError)) throw err;
    const prefix = `invalid digest ${JSON.stringify(digest)}: `;
    const reason = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
    throw new InvalidReferenceError(input, 'digest', `${JSON.stringify(digest)} is not valid: ${reason}`, { cause: err });
  }
  return digest as Digest;
}

/** Checks the length of a whole (normalised) name. */
export function checkNameLength(input: string, name: string): void {
  if (name.length > NAME_MAX_LENGTH) {
    throw new InvalidReferenceError(input, 'name', `exceeds ${NAME_MAX_LENGTH} characters (${name.length})`);
  }
}
