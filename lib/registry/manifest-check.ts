/**
 * Checks a manifest body before it is trusted: size cap, digest, media type
 * agreement, index/manifest ambiguity, self-reference, schema 1 refusal.
 *
 * @module
 */
import { DigestMismatchError, RegistryError } from '../errors.js';
import { digestOf, parseDigest, type Digest } from '../oci/digest.js';
import type { Descriptor, ImageIndex, ImageManifest } from '../oci/image-types.js';
import { MediaType, isIndexMediaType, isManifestMediaType } from '../oci/media-types.js';

/** Largest manifest ocikit accepts (4 MiB, as containerd). */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

/** A manifest or index as fetched and checked. */
export interface FetchedManifest {
  /** Digest of the exact bytes. */
  digest: Digest;
  /** Media type of the document. */
  mediaType: string;
  /** The exact bytes, as served. */
  bytes: Buffer;
  /** The parsed document. */
  manifest: ImageManifest | ImageIndex;
}

const SCHEMA1 = new Set<string>([MediaType.DockerManifestSchema1, MediaType.DockerManifestSchema1Signed]);

function bare(contentType: string | null | undefined): string | undefined {
  if (contentType === null || contentType === undefined) return undefined;
  const t = contentType.split(';')[0]?.trim().toLowerCase();
  return t === '' ? undefined : t;
}

/**
 * Validates a manifest body and returns it parsed.
 *
 * @param expected - the digest it was asked for (or `undefined` when asked by tag)
 * @param headerDigest - the `Docker-Content-Digest` header, when sent
 */
export function checkManifest(bytes: Buffer, contentType: string | null, expected: string | undefined, headerDigest: string | null, url: string): FetchedManifest {
  if (bytes.length > MAX_MANIFEST_BYTES) {
    throw new RegistryError('ERR_MANIFEST_TOO_LARGE', `manifest larger than ${MAX_MANIFEST_BYTES} bytes`, { url });
  }
  const ct = bare(contentType);
  if (ct !== undefined && SCHEMA1.has(ct)) {
    throw new RegistryError('ERR_MANIFEST_UNSUPPORTED', 'Docker schema 1 manifests are not supported; push the image again with a current client', { url });
  }
  const algorithm = expected !== undefined ? parseDigest(expected).algorithm : 'sha256';
  const digest = digestOf(bytes, algorithm);
  if (expected !== undefined && digest !== expected) throw new DigestMismatchError(expected, digest, 'manifest');
  if (headerDigest !== null && headerDigest !== '') {
    const alg = parseDigest(headerDigest).algorithm;
    const actual = alg === algorithm ? digest : digestOf(bytes, alg);
    if (actual !== headerDigest) throw new DigestMismatchError(headerDigest, actual, 'manifest (Docker-Content-Digest)');
  }
  let doc: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new TypeError('not an object');
    doc = parsed as Record<string, unknown>;
  } catch (err) {
    throw new RegistryError('ERR_MANIFEST_INVALID', 'manifest is not a JSON object', { url, cause: err });
  }
  if (doc['schemaVersion'] === 1) {
    throw new RegistryError('ERR_MANIFEST_UNSUPPORTED', 'Docker schema 1 manifests are not supported', { url });
  }
  const declared = typeof doc['mediaType'] === 'string' ? doc['mediaType'] : undefined;
  const isIndex = Array.isArray(doc['manifests']);
  const isImage = doc['config'] !== undefined || Array.isArray(doc['layers']);
  if (isIndex && isImage) {
    throw new RegistryError('ERR_MANIFEST_AMBIGUOUS', 'document is both an index (manifests) and a manifest (config/layers)', { url });
  }
  if (declared !== undefined && ct !== undefined && ct !== 'application/json' && declared !== ct) {
    throw new RegistryError('ERR_MANIFEST_MEDIA_TYPE', `mediaType ${declared} differs from Content-Type ${ct}`, { url });
  }
  const mediaType = declared ?? (ct !== undefined && ct !== 'application/json' ? ct : isIndex ? MediaType.OciIndex : MediaType.OciManifest);
  if (isIndex !== isIndexMediaType(mediaType) || (!isIndex && !isManifestMediaType(mediaType) && !isImage)) {
    throw new RegistryError('ERR_MANIFEST_MEDIA_TYPE', `content does not match media type ${mediaType}`, { url });
  }
  if (!isIndex && !isManifestMediaType(mediaType)) {
    throw new RegistryError('ERR_MANIFEST_UNSUPPORTED', `unsupported manifest media type ${mediaType}`, { url });
  }
  const refs: Descriptor[] = isIndex
    ? ((doc['manifests'] as Descriptor[]) ?? [])
    : [doc['config'] as Descriptor, ...((doc['layers'] as Descriptor[] | undefined) ?? [])];
  if (doc['subject'] !== undefined) refs.push(doc['subject'] as Descriptor);
  for (const d of refs) {
    if (typeof d !== 'object' || d === null || typeof d.digest !== 'string' || typeof d.size !== 'number' || d.size < 0) {
      throw new RegistryError('ERR_MANIFEST_INVALID', 'manifest holds an invalid descriptor', { url });
    }
    parseDigest(d.digest);
    if (d.digest === digest) throw new RegistryError('ERR_MANIFEST_SELF_REFERENCE', `manifest ${digest} references itself`, { url });
  }
  return { digest, mediaType, bytes, manifest: doc as unknown as ImageManifest | ImageIndex };
}
