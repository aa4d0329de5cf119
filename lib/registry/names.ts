/**
 * Validation of repository names and manifest references before they go into URLs.
 *
 * @module
 */
import { InvalidReferenceError } from '../errors.js';
import { isDigest, parseDigest } from '../oci/digest.js';

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPO_RE = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Throws unless `repo` is a valid repository path such as `library/busybox`. */
export function checkRepository(repo: string): string {
  if (repo.length > 255 || !REPO_RE.test(repo)) throw new InvalidReferenceError(repo, 'path', 'is not a valid repository name');
  return repo;
}

/** Throws unless `ref` is a valid tag or digest. */
export function checkTagOrDigest(ref: string): string {
  if (ref.includes(':')) {
    parseDigest(ref);
    return ref;
  }
  if (!TAG_RE.test(ref)) throw new InvalidReferenceError(ref, 'tag', 'is not a valid tag');
  return ref;
}

/** Whether a manifest reference is a digest (rather than a tag). */
export function isDigestRef(ref: string): boolean {
  return ref.includes(':') && isDigest(ref);
}
