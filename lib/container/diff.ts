/**
 * `docker diff`: what a container changed, from its writable layer.
 *
 * @module
 */
import type { Change } from '../layer/changes.js';
import { containerChanges } from './rootfs-view.js';
import type { ContainerState } from './state.js';

/** The container's changes (`A` added, `C` changed, `D` deleted), in path order. */
export async function diffContainer(state: ContainerState): Promise<Change[]> {
  return (await containerChanges(state)).list;
}
