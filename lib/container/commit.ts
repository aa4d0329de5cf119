/**
 * `docker commit`: a container's changes become a new layer on top of its
 * image, with the container's configuration, a history entry and Dockerfile
 * changes, stored and tagged.
 *
 * @module
 */
import { ContainerError, ImageError } from '../errors.js';
import { applyConfigChanges } from '../image/config-changes.js';
import { Image } from '../image/image.js';
import { storeImage, storeLayer } from '../image/import.js';
import { appendLayers } from '../layer/mutate.js';
import type { ContainerConfig, Descriptor, ImageConfig, ImageManifest } from '../oci/image-types.js';
import { parseReference } from '../reference/index.js';
import { Store } from '../store/index.js';
import { crashPoint } from '../util/crash-point.js';
import type { LayerCompression } from '../oci/media-types.js';
import { mergeEntrypointCmd } from './config-merge.js';
import { containerChanges } from './rootfs-view.js';
import type { ContainerState } from './state.js';
import { envKey } from '../util/env-merge.js';

/** Options of `container.commit()`. */
export interface CommitOptions {
  /** Reference to tag the new image with; untagged when absent. */
  ref?: string;
  /** Commit message (the history entry's comment). */
  message?: string;
  /** Author (`Name <email>`). */
  author?: string;
  /** Dockerfile instructions applied to the config (`CMD ["sh"]`, `ENV A=1` …). */
  changes?: readonly string[];
  /** Pause a running container while its changes are read (default `true`). */
  pause?: boolean;
  /** Layer compression (default `gzip`). */
  compression?: LayerCompression;
}

/** Loads the image a container was created from. */
async function baseImage(store: Store, state: ContainerState): Promise<Image> {
  const digest = state.image.digest;
  if (digest !== undefined && (await store.hasBlob(digest))) {
    const bytes = await store.readBytes(digest, 4 * 1024 * 1024);
    const m = JSON.parse(bytes.toString('utf8')) as ImageManifest;
    const desc: Descriptor = { mediaType: m.mediaType ?? 'application/vnd.oci.image.manifest.v1+json', digest: digest as Descriptor['digest'], size: bytes.length };
    return Image.fromStore(store, desc);
  }
  try {
    return await Image.get(state.image.id, { root: store.root });
  } catch (err) {
    throw new ContainerError('ERR_IMAGE_GONE', `the image of container ${state.name} (${state.image.ref}) is no longer in the store`, { cause: err });
  }
}

/**
 * The environment a commit stores: the image's plus what the user set, as resolved at create;
 * not what ocikit injects into the process at run (`HOSTNAME`, `TERM` for a terminal, the default
 * `PATH`), which would otherwise follow every container of the new image.
 */
export function committedEnv(image: ContainerConfig, state: ContainerState): string[] {
  const given = state.config.options.env;
  const optionKeys = Array.isArray(given) ? given.map(envKey) : Object.keys(given ?? {});
  const keys = new Set([...(image.Env ?? []).filter((e) => e.includes('=')).map(envKey), ...optionKeys]);
  const entries = new Map(state.config.merged.env.map((e) => [envKey(e), e]));
  return [...keys].flatMap((k) => entries.get(k) ?? []); // the image's order, then the user's
}

/** The runtime config the new image gets: the container's own, as Docker commits it. */
function committedConfig(base: ImageConfig, state: ContainerState): ContainerConfig {
  const image = base.config ?? {};
  const { options, merged } = state.config;
  const { entrypoint, cmd } = mergeEntrypointCmd(image, options);
  const out: ContainerConfig = { ...image, Env: committedEnv(image, state), Cmd: cmd.length > 0 ? cmd : null, Entrypoint: entrypoint.length > 0 ? entrypoint : null };
  if (merged.workdir !== '' && merged.workdir !== '/') out.WorkingDir = merged.workdir;
  else if (image.WorkingDir !== undefined) out.WorkingDir = image.WorkingDir;
  if (merged.user !== '') out.User = merged.user;
  if (Object.keys(merged.labels).length > 0) out.Labels = { ...merged.labels };
  if (options.stopSignal !== undefined) out.StopSignal = options.stopSignal;
  if (out.Entrypoint === null) delete out.Entrypoint;
  if (out.Cmd === null) delete out.Cmd;
  return out;
}

/**
 * Commits the container described by `state` (the caller pauses it when asked).
 *
 * @param root storage root of the image store.
 */
export async function commitContainer(root: string | undefined, state: ContainerState, opts: CommitOptions = {}): Promise<Image> {
  if (opts.ref !== undefined) parseReference(opts.ref);
  const store = await Store.open(root);
  const base = await baseImage(store, state);
  const changes = await containerChanges(state);
  const lease = await store.lease();
  try {
    const blob = await storeLayer(store, lease, (dest) => changes.write(dest, { compression: opts.compression ?? 'gzip' }));
    crashPoint('commit:layer');
    const now = new Date();
    const history = {
      created_by: state.config.merged.args.join(' '),
      ...(opts.message !== undefined && opts.message !== '' ? { comment: opts.message } : {}),
      ...(opts.author !== undefined && opts.author !== '' ? { author: opts.author } : {}),
    };
    const next = appendLayers(
      { manifest: base.manifest, config: base.config },
      [{ descriptor: { mediaType: blob.mediaType, digest: blob.digest, size: blob.size }, diffId: blob.diffId, history }],
      now,
    );
    let runtime = committedConfig(base.config, state);
    try {
      runtime = applyConfigChanges(runtime, opts.changes ?? []);
    } catch (err) {
      throw err instanceof ImageError ? err : new ImageError('ERR_INVALID_CHANGE', String(err));
    }
    const config: ImageConfig = { ...next.config, config: runtime, container: state.id };
    if (opts.author !== undefined && opts.author !== '') config.author = opts.author;
    else delete config.author;
    return await storeImage(store, next.manifest, config, opts.ref);
  } finally {
    await lease.release();
  }
}
