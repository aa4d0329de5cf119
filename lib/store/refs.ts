/**
 * The annotations that name images in the layout's `index.json`.
 *
 * @module
 */
import type { Descriptor } from '../oci/image-types.js';

/** The OCI annotation holding an image's reference; ocikit stores the full normalised reference. */
export const REF_NAME = 'org.opencontainers.image.ref.name';
/** ocikit's annotation holding the digest the registry served (an index digest for multi-platform images). */
export const REPO_DIGEST = 'dev.ocikit.image.repo-digest';

/** The reference an index entry names, if any. */
export function refOf(d: Descriptor): string | undefined {
  return d.annotations?.[REF_NAME];
}
