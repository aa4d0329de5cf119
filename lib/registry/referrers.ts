/**
 * The referrers API (`/v2/<name>/referrers/<digest>`), with the tag-schema
 * fallback (`sha256-<hex>`) for registries that lack it.
 *
 * @module
 */
import { RegistryError } from '../errors.js';
import { parseDigest } from '../oci/digest.js';
import type { ImageIndex } from '../oci/image-types.js';
import { MediaType } from '../oci/media-types.js';
import { errorFromResponse } from './error-body.js';
import { checkRepository } from './names.js';
import type { Registry } from './registry.js';
import { drain } from './transport.js';

/** Manifests of `repo` that refer to `digest`, optionally only those of `artifactType`. */
export async function fetchReferrers(
  registry: Registry,
  repo: string,
  digest: string,
  opts: { artifactType?: string; signal?: AbortSignal },
): Promise<ImageIndex> {
  checkRepository(repo);
  const { algorithm, hex } = parseDigest(digest);
  const q = opts.artifactType !== undefined ? `?artifactType=${encodeURIComponent(opts.artifactType)}` : '';
  const res = await registry.transport.send({
    method: 'GET',
    url: `/v2/${repo}/referrers/${digest}${q}`,
    headers: { Accept: MediaType.OciIndex },
    scope: [`repository:${repo}:pull`],
    signal: opts.signal,
  });
  let index: ImageIndex;
  if (res.ok) {
    index = (await res.json()) as ImageIndex;
  } else if (res.status === 404 || res.status === 405) {
    drain(res);
    try {
      index = (await registry.getManifest(repo, `${algorithm}-${hex}`, opts.signal)).manifest as ImageIndex;
    } catch (err) {
      if (err instanceof RegistryError && (err.status === 404 || err.code === 'ERR_MANIFEST_UNKNOWN')) {
        return { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [] };
      }
      throw err;
    }
  } else {
    throw await errorFromResponse(res, `referrers of ${digest}`);
  }
  const manifests = Array.isArray(index.manifests) ? index.manifests : [];
  const filtered = opts.artifactType === undefined ? manifests : manifests.filter((m) => m.artifactType === opts.artifactType);
  return { schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: filtered };
}
