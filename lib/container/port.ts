/**
 * `docker port`: published ports. Containers run with network `none` or
 * `host`, which publish nothing, so the list is empty.
 *
 * @module
 */
import type { ContainerState } from './state.js';

/** One published port, as `docker port` prints it (`80/tcp -> 0.0.0.0:8080`). */
export interface PortMapping {
  /** Port inside the container, with protocol: `80/tcp`. */
  privatePort: string;
  hostIp: string;
  hostPort: number;
}

/** The published ports of a container: none with network `none` or `host`. */
export function containerPorts(_state: ContainerState): PortMapping[] {
  return [];
}
