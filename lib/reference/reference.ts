/**
 * Image references: `[host[:port]/]path[:tag][@digest]`, normalised the way
 * Docker normalises them.
 *
 * @module
 */
import { InvalidReferenceError } from '../errors.js';
import type { Digest } from '../oci/digest.js';
import {
  DEFAULT_TAG,
  DOCKER_HUB_DOMAIN,
  DOCKER_HUB_LEGACY_DOMAIN,
  DOCKER_HUB_REGISTRY,
  OFFICIAL_NAMESPACE,
  checkDigest,
  checkDomain,
  checkNameLength,
  checkPath,
  checkTag,
  looksLikeDomain,
} from './grammar.js';

const IMAGE_ID = /^[a-f0-9]{64}$/;

/**
 * A parsed, normalised image reference. Immutable: `withTag` and `withDigest`
 * return new references.
 *
 * ```ts
 * const ref = Reference.parse('ubuntu:16.04');
 * ref.toString();   // 'docker.io/library/ubuntu:16.04'
 * ref.familiar();   // 'ubuntu:16.04'
 * ref.registryHost; // 'registry-1.docker.io'
 * ```
 */
export class Reference {
  /** Registry domain with optional port, such as `docker.io`, `localhost:5000` or `[::1]:5000`. */
  readonly domain: string;
  /** Repository path inside the registry, such as `library/ubuntu`. */
  readonly path: string;
  /** The tag; `latest` when the reference named neither a tag nor a digest. */
  readonly tag: string | undefined;
  /** The digest, when the reference pins one. */
  readonly digest: Digest | undefined;

  private constructor(domain: string, path: string, tag: string | undefined, digest: Digest | undefined) {
    this.domain = domain;
    this.path = path;
    this.tag = tag;
    this.digest = digest;
  }

  /**
   * Parses and normalises a reference: adds `docker.io` when no registry host is
   * given, `library/` to single-component Docker Hub names, and the tag `latest`
   * when there is neither a tag nor a digest.
   *
   * @throws {@link InvalidReferenceError} whose `part` names the faulty part.
   */
  static parse(input: string): Reference {
    if (typeof input !== 'string' || input === '') throw new InvalidReferenceError(String(input), 'reference', 'is empty');
    if (IMAGE_ID.test(input)) {
      throw new InvalidReferenceError(input, 'name', 'is a 64-character hex string, which names an image ID, not a repository');
    }
    const at = input.indexOf('@');
    const nameAndTag = at < 0 ? input : input.slice(0, at);
    const digestText = at < 0 ? undefined : input.slice(at + 1);
    const colon = nameAndTag.indexOf(':', nameAndTag.lastIndexOf('/') + 1);
    const name = colon < 0 ? nameAndTag : nameAndTag.slice(0, colon);
    const tagText = colon < 0 ? undefined : nameAndTag.slice(colon + 1);
    if (name === '') throw new InvalidReferenceError(input, 'name', 'is empty');

    let domain = DOCKER_HUB_DOMAIN;
    let path = name;
    const slash = name.indexOf('/');
    if (slash >= 0 && looksLikeDomain(name.slice(0, slash))) {
      domain = name.slice(0, slash);
      path = name.slice(slash + 1);
      checkDomain(input, domain);
      if (domain === DOCKER_HUB_LEGACY_DOMAIN) domain = DOCKER_HUB_DOMAIN;
    }
    checkPath(input, path);
    if (domain === DOCKER_HUB_DOMAIN && !path.includes('/')) path = `${OFFICIAL_NAMESPACE}/${path}`;
    checkNameLength(input, `${domain}/${path}`);

    if (tagText !== undefined) checkTag(input, tagText);
    const digest = digestText === undefined ? undefined : checkDigest(input, digestText);
    const tag = tagText ?? (digest === undefined ? DEFAULT_TAG : undefined);
    return new Reference(domain, path, tag, digest);
  }

  /** The host to send registry API requests to (`registry-1.docker.io` for Docker Hub). */
  get registryHost(): string {
    return this.domain === DOCKER_HUB_DOMAIN ? DOCKER_HUB_REGISTRY : this.domain;
  }

  /** The full repository name, `domain/path`. */
  get name(): string {
    return `${this.domain}/${this.path}`;
  }

  /** What to ask the registry's manifest endpoint for: the digest when pinned, else the tag. */
  get identifier(): string {
    return this.digest ?? this.tag ?? DEFAULT_TAG;
  }

  /** The full normalised form, such as `docker.io/library/ubuntu:16.04`. */
  toString(): string {
    return `${this.name}${suffix(this.tag, this.digest)}`;
  }

  /** The form Docker prints: `ubuntu:16.04`, `user/app:1`, `localhost:5000/x:y`. */
  familiar(): string {
    let name = this.name;
    if (this.domain === DOCKER_HUB_DOMAIN) {
      name = this.path;
      const official = `${OFFICIAL_NAMESPACE}/`;
      if (name.startsWith(official) && !name.slice(official.length).includes('/')) name = name.slice(official.length);
    }
    return `${name}${suffix(this.tag, this.digest)}`;
  }

  /** A copy with `tag` (the digest, if any, is kept and still pins the content). */
  withTag(tag: string): Reference {
    checkTag(`${this.name}:${tag}`, tag);
    return new Reference(this.domain, this.path, tag, this.digest);
  }

  /** A copy pinned to `digest` (the tag, if any, is kept for display). */
  withDigest(digest: string): Reference {
    const checked = checkDigest(`${this.name}@${digest}`, digest);
    return new Reference(this.domain, this.path, this.tag, checked);
  }

  /** Whether both references denote the same normalised string. */
  equals(other: Reference): boolean {
    return this.toString() === other.toString();
  }

  /** JSON form: the full string. */
  toJSON(): string {
    return this.toString();
  }
}

function suffix(tag: string | undefined, digest: string | undefined): string {
  return `${tag === undefined ? '' : `:${tag}`}${digest === undefined ? '' : `@${digest}`}`;
}

/**
 * Parses and normalises an image reference; see {@link Reference.parse}.
 *
 * @throws {@link InvalidReferenceError} whose `part` names the faulty part.
 */
export function parseReference(input: string): Reference {
  return Reference.parse(input);
}
