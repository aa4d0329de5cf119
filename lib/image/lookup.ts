/**
 * Finding stored images by reference, ID or digest.
 *
 * @module
 */
import type { Descriptor } from '../oci/image-types.js';
import { parseReference, type Reference } from '../reference/index.js';
import { refOf, REPO_DIGEST, type Store } from '../store/index.js';
import { Image } from './image.js';

const ID_RE = /^(?:sha256:)?([0-9a-f]{6,64})$/;

/** The string stored in `index.json` for a reference: `name:tag`, or `name@digest` when pinned. */
export function refKey(ref: Reference): string {
  return ref.digest !== undefined ? `${ref.name}@${ref.digest}` : ref.toString();
}

/** Images (distinct manifests) that `text` names. */
export async function findImages(store: Store, text: string): Promise<Image[]> {
  const index = await store.readIndex();
  const hits = new Map<string, Descriptor>();
  const id = ID_RE.exec(text);
  if (id !== null) {
    const hex = id[1] ?? '';
    for (const d of index.manifests) {
      if (hits.has(d.digest)) continue;
      if (d.digest.slice(7).startsWith(hex)) {
        hits.set(d.digest, d);
        continue;
      }
      const img = await Image.fromStore(store, d).catch(() => undefined);
      if (img !== undefined && img.id.slice(7).startsWith(hex)) hits.set(d.digest, d);
    }
    if (hits.size > 0 || text.length === 64 || text.startsWith('sha256:')) return Promise.all([...hits.values()].map((d) => Image.fromStore(store, d)));
  }
  const ref = parseReference(text);
  const key = refKey(ref);
  for (const d of index.manifests) {
    const name = refOf(d);
    if (name === key) hits.set(d.digest, d);
    else if (ref.digest !== undefined && name !== undefined && parseReference(name).name === ref.name) {
      if (d.digest === ref.digest || d.annotations?.[REPO_DIGEST] === ref.digest) hits.set(d.digest, d);
    }
  }
  return Promise.all([...hits.values()].map((d) => Image.fromStore(store, d)));
}
