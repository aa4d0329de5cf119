/**
 * Public API of the native area; lib/index.ts re-exports it. The runtime functions in this folder
 * stay internal: the container code consumes them.
 *
 * @module
 */
export { info, type HostInfo, type InfoOptions, type CgroupHierarchyInfo } from './info.js';
export type { ExitStatus } from './runtime.js';
