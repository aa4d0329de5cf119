/**
 * `docker export`: a container's merged root file system as a tar stream.
 *
 * @module
 */
import { PassThrough, type Readable } from 'node:stream';
import { exportRootfs } from '../layer/export.js';
import { openRootfs } from './rootfs-view.js';
import type { ContainerState } from './state.js';

/** The whole root file system of the container (uncompressed tar); the view is released when the stream closes. */
export async function exportContainer(state: ContainerState): Promise<Readable> {
  const view = await openRootfs(state, 'read');
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  const tar = exportRootfs(view.path);
  const release = (): void => {
    try {
      view.release();
    } catch (err) {
      out.destroy(err as Error);
    }
  };
  tar.on('error', (err) => {
    release();
    out.destroy(err);
  });
  tar.on('end', release);
  out.on('close', () => {
    tar.destroy();
    release();
  });
  tar.pipe(out);
  return out;
}
